import type { CDPSession, Page } from 'playwright-core';

/** Chromium's cumulative main-thread counters (seconds), from Performance.getMetrics. */
export interface MainThread {
	taskMs: number;
	scriptMs: number;
	layoutMs: number;
	styleMs: number;
	heapMb: number;
	documents: number;
}

/**
 * A CDP session of the page with the Performance domain on. Attach it only
 * after the page reached the app's origin: a session attached while the page
 * moves to another renderer process drops the context's offline emulation.
 */
export async function openDevtools(page: Page): Promise<CDPSession> {
	const session = await page.context().newCDPSession(page);
	await session.send('Performance.enable', { timeDomain: 'timeTicks' });
	return session;
}

export async function mainThread(session: CDPSession): Promise<MainThread> {
	const { metrics } = await session.send('Performance.getMetrics');
	const m = new Map(metrics.map((x) => [x.name, x.value]));
	const ms = (name: string) => (m.get(name) ?? 0) * 1000;
	return {
		taskMs: ms('TaskDuration'),
		scriptMs: ms('ScriptDuration'),
		layoutMs: ms('LayoutDuration'),
		styleMs: ms('RecalcStyleDuration'),
		heapMb: (m.get('JSHeapUsedSize') ?? 0) / 1024 / 1024,
		documents: m.get('Documents') ?? 0
	};
}

export function mainThreadSince(now: MainThread, before: MainThread): MainThread {
	return {
		taskMs: now.taskMs - before.taskMs,
		scriptMs: now.scriptMs - before.scriptMs,
		layoutMs: now.layoutMs - before.layoutMs,
		styleMs: now.styleMs - before.styleMs,
		heapMb: now.heapMb,
		documents: now.documents
	};
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples?: number[];
	timeDeltas?: number[];
	startTime: number;
	endTime: number;
}

export interface ProfileSummary {
	sampledMs: number;
	/** Where the CPU was when sampled, by function (minified app code keeps method and class names). */
	self: Array<{ fn: string; ms: number }>;
	/** Time with the function anywhere on the stack. */
	inclusive: Array<{ fn: string; ms: number }>;
	/** Self time by script (chunk file or library). */
	byScript: Array<{ script: string; ms: number }>;
}

export async function startProfiler(session: CDPSession): Promise<void> {
	await session.send('Profiler.enable');
	await session.send('Profiler.setSamplingInterval', { interval: 250 });
	await session.send('Profiler.start');
}

export async function stopProfiler(session: CDPSession): Promise<Profile> {
	const { profile } = await session.send('Profiler.stop');
	await session.send('Profiler.disable');
	return profile as unknown as Profile;
}

/** Self and inclusive time per function of a V8 CPU profile, idle excluded. */
export function summarizeProfile(profile: Profile, top = 15): ProfileSummary {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const label = (n: ProfileNode) => {
		const file = n.callFrame.url ? n.callFrame.url.split('/').pop() : '';
		const fn = n.callFrame.functionName || '(anonymous)';
		return file ? `${fn} (${file}:${n.callFrame.lineNumber + 1})` : fn;
	};
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	const byScript = new Map<string, number>();
	let sampled = 0;
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	for (let i = 0; i < samples.length; i++) {
		// A sample's duration is the gap to the next sample.
		const ms = (deltas[i + 1] ?? 0) / 1000;
		const node = byId.get(samples[i] as number);
		if (!node || node.callFrame.functionName === '(idle)') continue;
		sampled += ms;
		const name = label(node);
		self.set(name, (self.get(name) ?? 0) + ms);
		const script = node.callFrame.url ? (node.callFrame.url.split('/').pop() ?? '') : node.callFrame.functionName;
		byScript.set(script, (byScript.get(script) ?? 0) + ms);
		const seen = new Set<string>();
		for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
			const n = byId.get(id);
			if (!n || n.callFrame.functionName === '(root)') continue;
			const l = label(n);
			if (seen.has(l)) continue;
			seen.add(l);
			inclusive.set(l, (inclusive.get(l) ?? 0) + ms);
		}
	}
	const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
	return {
		sampledMs: Math.round(sampled),
		self: sorted(self).map(([fn, ms]) => ({ fn, ms: Math.round(ms) })),
		inclusive: sorted(inclusive).map(([fn, ms]) => ({ fn, ms: Math.round(ms) })),
		byScript: sorted(byScript).map(([script, ms]) => ({ script, ms: Math.round(ms) }))
	};
}
