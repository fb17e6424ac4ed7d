/**
 * A small per-process cache for what dropdowns and validations read often and amoCRM
 * changes rarely (pipelines, custom fields, users). Keys always include the credential
 * and the account host, so nothing is shared across accounts.
 */
const DEFAULT_TTL_MS = 5 * 60 * 1000;

interface Entry {
	expires: number;
	value: Promise<unknown>;
}

const entries = new Map<string, Entry>();

export async function cached<T>(key: string, load: () => Promise<T>, ttlMs = DEFAULT_TTL_MS): Promise<T> {
	const now = Date.now();
	const hit = entries.get(key);
	if (hit && hit.expires > now) return (await hit.value) as T;
	const value = load();
	entries.set(key, { expires: now + ttlMs, value });
	// A failed load must not be served to the next caller; this caller still gets the error.
	value.then(undefined, () => {
		if (entries.get(key)?.value === value) entries.delete(key);
	});
	return await value;
}

export function forget(keyPrefix: string): void {
	for (const key of entries.keys()) if (key.startsWith(keyPrefix)) entries.delete(key);
}

export function clearCache(): void {
	entries.clear();
}
