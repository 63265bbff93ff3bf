/** What the debug session, task and terminal tests share: a key that exists nowhere else, and a program that reports a hash of it. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SECRET = 'upz_live_Dq7Vb3Kx9Lm2Tz8Hc4Nw6Rf1Js5Ya0';
/** Any 12 characters of the key, found anywhere, are a leak. */
const piecesOf = (secret: string) => [...Array(secret.length - 11).keys()].map((start) => secret.slice(start, start + 12));
export const SECRET_HASH = createHash('sha256').update(SECRET).digest('hex');

/** `node report.js VARIABLE OUT` writes a hash of $VARIABLE (or "unset") to OUT, never the value. */
export const REPORT_PROGRAM = `const fs = require('node:fs');
const value = process.env[process.argv[2]];
fs.writeFileSync(process.argv[3], value === undefined ? 'unset' : require('node:crypto').createHash('sha256').update(value).digest('hex'));
`;

export function holdsPieceOf(secret: string, text: string): boolean {
  return piecesOf(secret).some((piece) => text.includes(piece));
}

export function hasSecret(text: string): boolean {
  return holdsPieceOf(SECRET, text);
}

/** The files among `folders` (all their small files, however deep) that hold any piece of `secret`. */
export function filesWithSecret(folders: readonly string[], secret = SECRET): { searched: string[]; leaks: string[] } {
  const searched = folders.flatMap(filesUnder);
  return { searched, leaks: searched.filter((file) => holdsPieceOf(secret, fs.readFileSync(file, 'latin1'))) };
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  if (fs.statSync(folder).isFile()) return [folder];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() && fs.statSync(full).size < 8_000_000 ? [full] : [];
  });
}
