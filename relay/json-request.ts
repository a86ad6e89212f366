// What every relay API reads from a request: a JSON body of bounded size and the credential in the
// Authorization header. One reader, so a size limit or a parsing rule cannot differ between APIs.
import type { IncomingMessage } from 'node:http';

/** The body as text, or undefined when it is larger than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
	let size = 0;
	const chunks: Buffer[] = [];
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes) return undefined;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** The parsed body, or undefined when it is larger than `maxBytes` or not JSON: the caller refuses it. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
	const text = await readBody(req, maxBytes);
	if (text === undefined) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The secret after `Bearer `, or undefined when the header holds none. */
export const bearer = (req: IncomingMessage): string | undefined => /^Bearer (\S{1,200})$/.exec(req.headers.authorization ?? '')?.[1];
