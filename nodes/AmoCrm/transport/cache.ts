/**
 * A small per-process cache for what dropdowns and validations read often and amoCRM
 * changes rarely (pipelines, custom fields, users, the account's country). Keys always
 * include the credential and the account host, so nothing is shared across accounts.
 *
 * Kept for a day, so that a site with a lead an hour pays no extra read per lead; what
 * might have changed in amoCRM is read again on demand instead (a dropdown opened, amoCRM
 * refusing a pipeline, stage or field, an item about to fail on what we remember).
 */
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

interface Entry {
	loadedAt: number;
	value: Promise<unknown>;
}

const entries = new Map<string, Entry>();

/**
 * The value under `key`, loaded by `load` when missing or older than `maxAgeMs` (default a
 * day). A load in progress counts as new, so callers asking together share one request.
 */
export async function cached<T>(
	key: string,
	load: () => Promise<T>,
	maxAgeMs = DEFAULT_MAX_AGE_MS,
): Promise<T> {
	const now = Date.now();
	const hit = entries.get(key);
	if (hit && now - hit.loadedAt < maxAgeMs) return (await hit.value) as T;
	const value = load();
	entries.set(key, { loadedAt: now, value });
	// A failed load must not be served to the next caller; this caller still gets the error.
	value.then(undefined, () => {
		if (entries.get(key)?.value === value) entries.delete(key);
	});
	return await value;
}

export function forget(key: string): void {
	entries.delete(key);
}

export function clearCache(): void {
	entries.clear();
}
