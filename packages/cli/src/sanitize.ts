/**
 * What a CLI may print of a message it did not write itself. Error messages
 * quote input (a key, a file's first bytes, a server's answer) and a
 * terminal obeys what it prints: an ESC starts a control sequence, a NUL or
 * a bidi override hides or reorders text, a CR overwrites the line. So every
 * such character is shown as an escape, and credentials that a URL or the
 * environment may carry are replaced by `***`.
 */

/**
 * C0 controls and DEL, C1 controls, the bidi embeddings/overrides/isolates
 * and marks (Unicode TR9), the line and paragraph separators, and lone
 * surrogates (not text, and printed as U+FFFD by a terminal at best).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|\p{Cs}/gu;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(char: string): string {
  const known = named[char];
  if (known) return known;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Every terminal-unsafe character as a visible escape (`\x00`, `\e`, `\n`, `\u202e`). */
export function escapeControlCharacters(text: string): string {
  return text.replace(unsafe, escapeOne);
}

/** Query parameters of presigned and signed URLs that carry a credential or a signature. */
const secretParameters =
  /([?&](?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|AWSAccessKeyId|x-amz-security-token|sig|token|access_token)=)[^&#\s"'`]*/gi;

/** `scheme://user:password@` in any URL. */
const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@"'`]+@/gi;

/** Environment variables whose values are secrets wherever they show up. */
const secretVariable = /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY/i;

/**
 * The values of the secret environment variables (`AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`, ...), longest first so that one secret containing
 * another is replaced whole. Short values are left: replacing `1` or `true`
 * everywhere would garble messages and protect nothing.
 */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => secretVariable.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

/** `text` without URL passwords, signed-URL parameters, or the values of `secrets`. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text.replace(userInfo, '$1***@').replace(secretParameters, '$1***');
  for (const secret of secrets) redacted = redacted.split(secret).join('***');
  return redacted;
}

/** Redacted, then escaped: what a CLI prints of a message (one line: newlines become `\n`). */
export function sanitizeMessage(text: string, secrets: readonly string[] = []): string {
  return escapeControlCharacters(redactSecrets(text, secrets));
}

/** As `sanitizeMessage`, but line breaks stay: for stacks under `--debug`. */
export function sanitizeLines(text: string, secrets: readonly string[] = []): string {
  return redactSecrets(text, secrets)
    .split(/\r?\n/)
    .map((line) => escapeControlCharacters(line))
    .join('\n');
}
