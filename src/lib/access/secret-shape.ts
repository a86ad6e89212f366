// What a secret the relay hands out looks like inside any text (a log line, printed output), so
// tests can check that none ever gets there.
export const SECRET_IN_TEXT = /[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,86}/g;

export const secretsIn = (text: string): string[] => [...text.matchAll(SECRET_IN_TEXT)].map((m) => m[0]);
