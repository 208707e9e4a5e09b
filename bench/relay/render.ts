/** The relay benchmark's Markdown: one comparison table per load, the capacity ramp, the goal. */
import { fmt, ratio, table } from '../markdown';
import { bestRounds, type CapacityPlan, type CapacityResult } from './capacity';
import type { ScenarioResult } from './measure';
import type { RelayTarget } from './targets';

export interface Goal {
	statement: string;
	outriderRate: number;
	bestPeer: string;
	bestPeerRate: number;
	met: boolean;
	/** Outrider and the best peer both passed the top of the ramp: neither limit was found. */
	undecided: boolean;
}

export interface RenderInput {
	targets: RelayTarget[];
	results: ScenarioResult[];
	capacity: CapacityResult[];
	capacityPlan?: CapacityPlan;
	goal?: Goal;
	notes: string[];
}

export function render({ targets, results, capacity, capacityPlan, goal, notes }: RenderInput): string {
	const label = (id: string) => targets.find((t) => t.id === id)?.label ?? id;
	const lines: string[] = [];

	if (results.length > 0) {
		const head = ['scenario', 'server', 'target upd/s', 'achieved upd/s', 'p50 ms', 'p99 ms', 'max ms', 'server RSS MB', 'server CPU s', 'generator CPU %', 'CPU vs Outrider', 'p99 vs Outrider'];
		const rows = results.map((r) => {
			const baseline = results.find((b) => b.scenario === r.scenario && b.server === 'outrider');
			return [
				`${r.scenario} (${r.sockets}×${r.docs})`,
				label(r.server) + (r.error ? ' (failed)' : ''),
				String(r.targetRate),
				fmt(r.achievedRate, 0),
				fmt(r.latencyMs?.p50),
				fmt(r.latencyMs?.p99),
				fmt(r.latencyMs?.max),
				fmt(r.relay?.rssMb.peakUnderLoad, 0),
				fmt(r.relay?.cpuSeconds),
				fmt(r.generator?.cpuPercent, 0),
				ratio(r.relay?.cpuSeconds, baseline?.relay?.cpuSeconds),
				ratio(r.latencyMs?.p99, baseline?.latencyMs?.p99)
			];
		});
		lines.push(table(head, rows), '');
		for (const r of results) {
			if (r.target) {
				lines.push(
					`Target (Outrider, ${r.sockets} sockets × ${r.docs} docs at ${r.targetRate} upd/s: p99 < ${r.target.p99Ms} ms, RSS < ${r.target.rssMb} MB, nothing lost): **${r.target.passed ? 'PASS' : 'FAIL'}**`,
					''
				);
			}
			if (r.error) lines.push(`${label(r.server)}, "${r.scenario}" failed: ${r.error}`, '');
			if (r.deliveries !== undefined && r.expectedDeliveries !== undefined && r.deliveries < r.expectedDeliveries) {
				lines.push(`${label(r.server)}, "${r.scenario}": ${r.expectedDeliveries - r.deliveries} of ${r.expectedDeliveries} deliveries did not arrive.`, '');
			}
			const closes = Object.entries(r.unexpectedCloses ?? {});
			if (closes.length > 0) lines.push(`${label(r.server)}, "${r.scenario}": sockets closed by the server: ${closes.map(([c, n]) => `${n}× code ${c}`).join(', ')}`, '');
		}
		lines.push('Details:', '', table(...details(results, label)), '');
	}

	if (capacityPlan && capacity.length > 0) {
		const best = bestRounds(capacity);
		const outrider = best.find((c) => c.server === 'outrider');
		const head = [
			'server',
			'persistence',
			`max upd/s with p99 ≤ ${capacityPlan.p99LimitMs} ms (best round)`,
			'vs Outrider',
			'each round',
			'p50 / p99 ms there',
			'server CPU %',
			'generator CPU %',
			'server RSS MB',
			'next step up (best round)'
		];
		const rows = best.map((c) => {
			const next = firstFailedRate(c);
			const rounds = capacity.filter((r) => r.server === c.server).sort((a, b) => a.round - b.round);
			return [
				label(c.server) + (c.error ? ' (failed)' : ''),
				targets.find((t) => t.id === c.server)?.persistence ?? '',
				c.maxRate === undefined ? 'below the first step' : `${fmt(c.maxRate, 0)}${c.rampTopReached ? '+' : ''}`,
				ratio(c.maxRate, outrider?.maxRate),
				rounds.map((r) => (r.maxRate === undefined ? '–' : fmt(r.maxRate, 0))).join(', '),
				c.atMax ? `${fmt(c.atMax.latencyMs.p50)} / ${fmt(c.atMax.latencyMs.p99)}` : '–',
				fmt(c.atMax?.serverCpuPercent, 0),
				fmt(c.atMax?.generatorCpuPercent, 0),
				fmt(c.atMax?.peakRssMb, 0),
				next ? `${next.rate}: ${next.failed}` : c.rampTopReached ? 'top of the ramp passed' : '–'
			];
		});
		lines.push(
			`Capacity: ${capacityPlan.sockets} sockets × ${capacityPlan.docs} documents, rates ${capacityPlan.rates.join(', ')} upd/s (${capacityPlan.stepSeconds} s each after ${capacityPlan.warmupSeconds} s warm-up; a rate fails when two tries fail), then one step halfway back from the first that failed. A step passes when p99 ≤ ${capacityPlan.p99LimitMs} ms, every delivery arrives and the generator keeps the rate. ${capacityPlan.rounds} round${capacityPlan.rounds === 1 ? '' : 's'}, servers in turn; other work on the machine only lowers a figure, so each server's best round is reported.`,
			'',
			table(head, rows),
			''
		);
		for (const c of capacity) if (c.error) lines.push(`${label(c.server)}, capacity round ${c.round} failed: ${c.error}`, '');
	}

	if (goal) {
		const verdict = goal.undecided
			? '**UNDECIDED** (both passed the top of the ramp, so neither limit was found)'
			: goal.met
				? '**MET**'
				: '**NOT MET**';
		lines.push(
			`Goal: ${goal.statement}: ${verdict} — Outrider ${fmt(goal.outriderRate, 0)} upd/s, best persisting peer ${label(goal.bestPeer)} ${fmt(goal.bestPeerRate, 0)} upd/s.`,
			''
		);
	}

	lines.push(
		"Latency is from the sender's Y.Map.set to the other socket of the document applying the server's message, all clients in one generator process on the same cores as the server. Outrider and y-websocket clients speak the y-websocket protocol on raw sockets; Hocuspocus clients are @hocuspocus/provider instances (one socket each, awareness off). RSS is the server process peak during the measured phase (MiB); CPU is its user+system time then. Outrider authenticates every socket and checks permissions; the peers run without authentication.",
		...notes.map((n) => `\n${n}`)
	);
	return lines.join('\n');
}

function details(results: ScenarioResult[], label: (id: string) => string): [string[], string[][]] {
	const head = ['scenario', 'server', 'p95 ms', 'delivered/expected', 'connect s', 'server CPU %', 'server loop delay p99 ms', 'commits/s', 'commit mean ms', 'RSS idle → connected MB', 'generator CPU s'];
	const rows = results
		.filter((r) => !r.error)
		.map((r) => [
			r.scenario,
			label(r.server),
			fmt(r.latencyMs?.p95),
			`${r.deliveries}/${r.expectedDeliveries}`,
			fmt(r.connectSeconds, 1),
			fmt(r.relay?.cpuPercent, 0),
			fmt(r.relay?.loopDelayMs.p99),
			r.relay && r.relay.commits.count > 0 ? fmt(r.relay.commits.perSecond, 1) : '–',
			r.relay && r.relay.commits.count > 0 ? fmt(r.relay.commits.meanMs) : '–',
			`${fmt(r.relay?.rssMb.idle, 0)} → ${fmt(r.relay?.rssMb.connected, 0)}`,
			fmt(r.generator?.cpuSeconds)
		]);
	return [head, rows];
}

/** The lowest rate above the best passing one at which every try failed (its last try). */
function firstFailedRate(c: CapacityResult): CapacityResult['steps'][number] | undefined {
	const held = new Set(c.steps.filter((s) => s.passed).map((s) => s.rate));
	const floor = c.atMax?.rate ?? 0;
	const failed = c.steps.filter((s) => !held.has(s.rate) && s.rate > floor).sort((a, b) => a.rate - b.rate);
	const rate = failed[0]?.rate;
	return failed.filter((s) => s.rate === rate).at(-1);
}
