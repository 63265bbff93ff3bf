/**
 * What a report of a live key found in code says to do: its provider's rotation steps. Apart from
 * verification.ts, which loads the scanner's rules, so the editor's diagnostics can word a verdict
 * without loading them.
 */
import type { ProviderDefinition } from './providers/types';
import type { Verification } from './verification';

/** What a live key's report says to do where its provider documents no rotation of its own. */
export const GENERIC_ROTATION = 'Create a new key with the provider, move your programs to it, then revoke this one.';

export function rotationStepsOf(provider: ProviderDefinition): string {
  return provider.rotationSteps ?? GENERIC_ROTATION;
}

/** The verification as a person reads it: its sentence, and for a live key the rotation steps after it. */
export function describeVerification(verification: Verification): string {
  return verification.rotationSteps === undefined ? verification.sentence : `${verification.sentence} ${verification.rotationSteps}`;
}
