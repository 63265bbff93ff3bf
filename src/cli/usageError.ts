/** A command cannot run as asked (bad options, unreadable input): it exits 2 with the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
