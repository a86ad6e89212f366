// Calls /api/notify/<action> as the app does: JSON, the device credential as Bearer.
export async function notifyCall(origin: string, action: string, body: unknown, credential?: string): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${origin}/api/notify/${action}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
