/**
 * One sample from Prometheus text, e.g. `sample(text, 'outrider_refused_total', { reason: 'forbidden' })`;
 * 0 when the series is absent.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
	for (const line of text.split('\n')) {
		const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!match || match[1] !== name) continue;
		const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
		if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
	}
	return 0;
}

export async function scrape(baseUrl: string): Promise<string> {
	const res = await fetch(`${baseUrl}/metrics`);
	if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
	return res.text();
}
