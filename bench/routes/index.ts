/**
 * Route optimiser benchmark: time and tour length for 25, 50 and 100 stops against
 * the input order and nearest neighbour alone, on seeded city-sized days, with and
 * without fixed-time appointments and priorities. Runs in-process: the optimiser is
 * pure, as it runs on the phone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { LatLng } from '../../src/lib/routes/geo';
import { evaluateRoute, nearestNeighbourRoute, optimiseRoute, type RouteOptions, type RouteStop } from '../../src/lib/routes/optimise';
import type { Benchmark, BenchOptions, BenchReport } from '../types';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** The issue's goal: 50 stops well under 100 ms on the device. */
const TARGET = { stops: 50, ms: 100 };
const DAY_START = Date.parse('2026-11-24T07:30:00.000Z');
const CITY = { south: 45.7, west: 4.78, north: 45.8, east: 4.92 };
const DEPOT: LatLng = { lat: 45.7578, lng: 4.832 };

/** What else the day asks of the route besides being short. */
type Constraints = 'none' | 'appointments' | 'appointments+priorities';

interface Scenario {
	stops: number;
	/** Every tenth stop gets an appointment; with priorities, every seventh is also high priority. */
	constraints: Constraints;
}

interface ScenarioResult {
	stops: number;
	constraints: Constraints;
	instances: number;
	runsPerInstance: number;
	/** Median optimiser wall time over all runs, and the slowest run. */
	medianMs: number;
	p95Ms: number;
	maxMs: number;
	/** Mean tour length in km (straight line, from the start point). */
	inputKm: number;
	nearestNeighbourKm: number;
	optimisedKm: number;
	/** Mean saving of the optimised tour, in per cent. */
	vsInputPct: number;
	vsNearestNeighbourPct: number;
	/** Mean saving on what the optimiser minimises (length plus lateness and priority penalties) vs nearest neighbour. */
	objectiveVsNearestNeighbourPct: number;
	/** Minutes late at appointments, summed over instances (timed scenarios). */
	inputLateMin: number;
	nearestNeighbourLateMin: number;
	optimisedLateMin: number;
	/** Instances where the result cost more than the input (must be 0). */
	worseThanInput: number;
}

function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Stores scattered around neighbourhood centres, as a territory's accounts are, in a random input order. */
function cityDay(n: number, seed: number, constraints: Constraints): { stops: RouteStop[]; options: RouteOptions } {
	const random = seededRandom(seed);
	const centres = Array.from({ length: 6 }, () => ({
		lat: CITY.south + random() * (CITY.north - CITY.south),
		lng: CITY.west + random() * (CITY.east - CITY.west)
	}));
	const stops: RouteStop[] = Array.from({ length: n }, (_, i) => {
		const centre = centres[Math.floor(random() * centres.length)]!;
		return {
			id: `s${i}`,
			position: { lat: centre.lat + (random() - 0.5) * 0.03, lng: centre.lng + (random() - 0.5) * 0.04 },
			priority: constraints === 'appointments+priorities' && i % 7 === 3 ? 'high' : 'normal'
		};
	});
	const options: RouteOptions = { start: DEPOT, startAt: DAY_START };
	if (constraints !== 'none') {
		// Appointments at the very times nearest neighbour arrives, so an on-time route exists
		// (that one) and lateness measures the optimiser, not the data.
		const reference = nearestNeighbourRoute(stops, options);
		const arrival = new Map(reference.schedule.map((s) => [s.id, s.arriveAt]));
		stops.forEach((stop, i) => {
			if (i % 10 === 5) stop.appointmentAt = arrival.get(stop.id)!;
		});
	}
	return { stops, options };
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

function runScenario(scenario: Scenario, instances: number, runs: number): ScenarioResult {
	const times: number[] = [];
	const input: number[] = [];
	const nearest: number[] = [];
	const optimised: number[] = [];
	const vsInput: number[] = [];
	const vsNearest: number[] = [];
	const objectiveVsNearest: number[] = [];
	let inputLate = 0;
	let nearestLate = 0;
	let optimisedLate = 0;
	let worse = 0;
	for (let instance = 0; instance < instances; instance++) {
		const { stops, options } = cityDay(scenario.stops, 1000 * scenario.stops + instance, scenario.constraints);
		const inputEval = evaluateRoute(stops, options);
		const nearestEval = nearestNeighbourRoute(stops, options);
		optimiseRoute(stops, options); // warm-up: JIT, not the phone's first tap
		let result = optimiseRoute(stops, options);
		for (let run = 0; run < runs; run++) {
			const started = performance.now();
			result = optimiseRoute(stops, options);
			times.push(performance.now() - started);
		}
		if (result.cost > inputEval.cost + 1e-6) worse++;
		input.push(inputEval.lengthM / 1000);
		nearest.push(nearestEval.lengthM / 1000);
		optimised.push(result.lengthM / 1000);
		vsInput.push((1 - result.lengthM / inputEval.lengthM) * 100);
		vsNearest.push((1 - result.lengthM / nearestEval.lengthM) * 100);
		objectiveVsNearest.push((1 - result.cost / nearestEval.cost) * 100);
		inputLate += inputEval.lateMinutes;
		nearestLate += nearestEval.lateMinutes;
		optimisedLate += result.lateMinutes;
	}
	times.sort((a, b) => a - b);
	return {
		stops: scenario.stops,
		constraints: scenario.constraints,
		instances,
		runsPerInstance: runs,
		medianMs: round(percentile(times, 50), 2),
		p95Ms: round(percentile(times, 95), 2),
		maxMs: round(times[times.length - 1] ?? Number.NaN, 2),
		inputKm: round(mean(input)),
		nearestNeighbourKm: round(mean(nearest)),
		optimisedKm: round(mean(optimised)),
		vsInputPct: round(mean(vsInput)),
		vsNearestNeighbourPct: round(mean(vsNearest)),
		objectiveVsNearestNeighbourPct: round(mean(objectiveVsNearest)),
		inputLateMin: Math.round(inputLate),
		nearestNeighbourLateMin: Math.round(nearestLate),
		optimisedLateMin: Math.round(optimisedLate),
		worseThanInput: worse
	};
}

function render(results: ScenarioResult[], notes: string[]): string {
	const header =
		'| stops | constraints | median ms | p95 ms | max ms | input km | nearest-neighbour km | optimised km | km saved vs input | km saved vs NN | objective saved vs NN | late min (input / NN / optimised) |\n' +
		'|---|---|---|---|---|---|---|---|---|---|---|---|';
	const rows = results.map(
		(r) =>
			`| ${r.stops} | ${r.constraints} | ${r.medianMs} | ${r.p95Ms} | ${r.maxMs} | ${r.inputKm} | ${r.nearestNeighbourKm} | ${r.optimisedKm} | ${r.vsInputPct} % | ${r.vsNearestNeighbourPct} % | ${r.objectiveVsNearestNeighbourPct} % | ${r.constraints === 'none' ? '—' : `${r.inputLateMin} / ${r.nearestNeighbourLateMin} / ${r.optimisedLateMin}`} |`
	);
	return [header, ...rows, '', ...notes].join('\n');
}

async function run(options: BenchOptions): Promise<BenchReport> {
	const mode = options.quick ? 'quick' : 'full';
	const instances = options.quick ? 3 : 20;
	const runs = options.quick ? 3 : 10;
	const scenarios: Scenario[] = [25, 50, 100].flatMap((stops) =>
		(['none', 'appointments', 'appointments+priorities'] as const).map((constraints) => ({ stops, constraints }))
	);
	const results: ScenarioResult[] = [];
	for (const scenario of scenarios) {
		options.log(`${scenario.stops} stops, constraints: ${scenario.constraints}: ${instances} days × ${runs} runs`);
		const result = runScenario(scenario, instances, runs);
		options.log(`  median ${result.medianMs} ms, ${result.optimisedKm} km (input ${result.inputKm} km, nearest neighbour ${result.nearestNeighbourKm} km)`);
		results.push(result);
	}

	const targetRows = results.filter((r) => r.stops === TARGET.stops);
	const passed = targetRows.every((r) => r.p95Ms < TARGET.ms) && results.every((r) => r.worseThanInput === 0);
	const cpu = cpus();
	const doc = {
		benchmark: 'routes',
		mode,
		date: new Date().toISOString(),
		node: process.version,
		platform: `${platform()} ${release()}`,
		cpu: { model: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length },
		note:
			'Seeded days of stores clustered around six neighbourhood centres in a 10 × 11 km city, start at a depot, open route. ' +
			'Lengths are straight-line km from the start. Appointments: every 10th stop, at the time nearest neighbour reaches it (so an on-time route exists); priorities: every 7th stop is high priority, which the optimiser trades against km. ' +
			'Times are one optimiseRoute call after a warm-up, on one core of this machine.',
		target: { stops: TARGET.stops, p95Ms: TARGET.ms, passed },
		scenarios: results
	};
	const file = mode === 'full' ? 'routes.json' : `routes.${mode}.json`;
	mkdirSync(RESULTS_DIR, { recursive: true });
	writeFileSync(`${RESULTS_DIR}${file}`, `${JSON.stringify(doc, null, '\t')}\n`);
	const notes = [
		`Target: ${TARGET.stops} stops with p95 under ${TARGET.ms} ms, and never worse than the input order: ${passed ? 'met' : '**not met**'}.`,
		`Results written to \`bench/results/${file}\`.`
	];
	return { markdown: render(results, notes), passed };
}

export const routesBenchmark: Benchmark = {
	name: 'routes',
	description: 'route optimiser: time and tour length for 25/50/100 stops vs the input order and nearest neighbour',
	run
};
