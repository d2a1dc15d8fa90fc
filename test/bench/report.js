'use strict';

/** BENCHMARKS.md from the benchmark's results (run.js). Every figure in it comes from the run. */
const { summarize, constant, median } = require('./stats');

const TARGET_RATIO = 1.15;
/** Our code adds at most 5 % over the floor, one request at a time. */
const FLOOR_RATIO = 1.05;
/** At 50 ms, ours within 5 % of raw undici, one at a time. */
const FAR_RAW_RATIO = 1.05;
/** Return All and 1,000 approvals at 20 ms: ours at least this many times faster than the HTTP Request node at its best. */
const HTTP_SPEED_UP = 2.5;
const STATE_LIMIT = 16 * 1024;

const ms = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const times = (list) => {
	const { min, median: middle, max } = summarize(list);
	return `${ms(min)} / **${ms(middle)}** / ${ms(max)}`;
};
const table = (header, rows) => [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const yes = (ok) => (ok ? 'met' : '**not met**');

const medianMs = (entry) => summarize(entry.runs.map((run) => run.ms)).median;
const requestsOf = (entry) => constant(entry.runs.map((run) => run.requests));
const exact = (entry) => entry.runs.every((run) => run.requests === entry.minRequests);
/** The series of `client` with `pairing` ('sequential', 'concurrent', 'httpRequest') in a group, if measured. */
const pick = (group, client, pairing) => group && group.series.find((entry) => entry.client === client && (pairing === undefined || entry.pairing === pairing));
const rawPeer = (group, entry) => pick(group, 'raw', entry.pairing);
/** `a / b` of two series' medians, or undefined when either is missing. */
const over = (a, b) => (a && b ? medianMs(a) / medianMs(b) : undefined);
const times2 = (value) => (value === undefined ? '' : `${value.toFixed(2)}×`);
/** The group's label: its variant, with its item count when it is not the usual one. */
const variantLabel = (group, results) => (group.items && group.items !== results.constants.ITEMS ? `${group.variant}, ${group.items.toLocaleString('en')} items` : group.variant);
/** The digests of a series' runs (worker.js): one value when every run gave the same output. */
const digestOf = (entry) => constant(entry.runs.map((run) => run.digest));
const ratio = (group, entry) => {
	const peer = rawPeer(group, entry);
	return entry.client === 'node' && peer ? medianMs(entry) / medianMs(peer) : undefined;
};
const peakGrowth = (entry) => Math.max(...entry.runs.map((run) => run.rssGrowth));
/** Median CPU time of the client's process per request, in µs. */
const cpuPerRequest = (entry) => (1000 * median(entry.runs.map((run) => run.cpuMs))) / entry.minRequests;

/** Cores busy with other work during the runs, on average (machineLoad.js). */
function otherLoad(runs) {
	const values = runs.map((run) => run.otherCores).filter((value) => typeof value === 'number');
	return values.length ? (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(2) : 'n/a';
}

const CLIENT_NAMES = { node: 'node', raw: 'raw undici', floor: 'floor', httpRequest: 'HTTP Request node' };

function clientLabel(entry) {
	return `${CLIENT_NAMES[entry.client] || entry.client}: ${entry.how}`;
}

function groupTable(groups, results) {
	const rows = [];
	for (const group of groups) {
		for (const entry of group.series) {
			const r = ratio(group, entry);
			rows.push([
				variantLabel(group, results),
				`${group.latency} ms`,
				clientLabel(entry),
				times(entry.runs.map((run) => run.ms)),
				r === undefined ? '' : `${r.toFixed(2)}×`,
				`${requestsOf(entry)}${exact(entry) ? '' : ` (minimum ${entry.minRequests})`}`,
				cpuPerRequest(entry).toFixed(0),
				mb(peakGrowth(entry)),
				otherLoad(entry.runs),
			]);
		}
	}
	return table(['Scenario', 'Latency', 'Client', 'Time ms: min / **median** / max', 'node / raw (median)', 'Requests per run', 'CPU µs per request', 'Peak RSS growth MB', 'Other load ¹'], rows);
}

/** The group at `latency` whose variant starts with `variant` ('Return All' also finds 'Return All (1,000 invoices)' of a smoke run). */
function find(results, variant, latency) {
	return results.groups.find((group) => group.variant.startsWith(variant) && group.latency === latency);
}

function speedUps(results) {
	const rows = [];
	for (const latency of results.constants.LATENCIES) {
		for (const group of results.groups.filter((candidate) => candidate.latency === latency)) {
			const nodeSequential = pick(group, 'node', 'sequential');
			const rawSequential = pick(group, 'raw', 'sequential');
			const nodeConcurrent = pick(group, 'node', 'concurrent');
			if (!nodeSequential || !rawSequential || !nodeConcurrent) continue;
			rows.push([
				variantLabel(group, results),
				`${latency} ms`,
				ms(medianMs(nodeSequential)),
				ms(medianMs(nodeConcurrent)),
				`${(medianMs(nodeSequential) / medianMs(nodeConcurrent)).toFixed(2)}×`,
				`${(medianMs(rawSequential) / medianMs(nodeConcurrent)).toFixed(2)}×`,
			]);
		}
	}
	return table(['Scenario', 'Latency', 'node, one at a time (ms)', 'node as shipped (ms): Get Many 4 pages at a time, items Auto', 'speed-up', 'vs raw one at a time'], rows);
}

/**
 * Ours against the floor, the HTTP Request node and raw undici: for each of
 * our series, the ratio of its median to theirs (below 1: ours is faster), and
 * the requests each made.
 */
function comparisonTable(results) {
	const rows = [];
	for (const group of results.groups) {
		const floor = pick(group, 'floor', 'sequential');
		const http = pick(group, 'httpRequest');
		if (!floor && !http) continue;
		for (const pairing of ['sequential', 'concurrent']) {
			const ours = pick(group, 'node', pairing);
			if (!ours) continue;
			const raw = pick(group, 'raw', pairing);
			const requests = [ours, pairing === 'sequential' ? floor : undefined, http, raw].map((entry) => (entry ? `${requestsOf(entry)}` : '–'));
			rows.push([
				variantLabel(group, results),
				`${group.latency} ms`,
				ours.how,
				times(ours.runs.map((run) => run.ms)),
				pairing === 'sequential' ? times2(over(ours, floor)) : '',
				times2(over(ours, http)),
				times2(over(ours, raw)),
				requests.join(' · '),
				sameResults(group) ? 'yes' : '**no**',
			]);
		}
	}
	return table(
		['Scenario', 'Latency', 'ours', 'ours ms: min / **median** / max', 'ours / floor (one at a time)', 'ours / HTTP Request node', 'ours / raw undici (the same way)', 'Requests: ours · floor · HTTP Request · raw', 'Same results ²'],
		rows,
	);
}

/** Whether every client's every run of the group produced the same output (digests, worker.js). */
function sameResults(group) {
	const digests = group.series.map(digestOf);
	return digests.every((digest) => typeof digest === 'string' && digest === digests[0]);
}

/** The HTTP Request node's settings tried, per scenario, and the one measured. */
function httpRequestTable(results) {
	const calibration = results.httpRequest;
	if (!calibration) return '';
	const header = ['Settings of the HTTP Request node (tried at 0 ms, ms: min / **median** / max)', ...calibration.tried.map((entry) => entry.scenario)];
	const rows = calibration.candidates.map((candidate, index) => [
		candidate.label,
		...calibration.tried.map((entry) => `${times(entry.candidates[index].runs)}${entry.best === index ? ' ← measured' : ''}`),
	]);
	return table(header, rows);
}

function profileTables(results) {
	const names = [...new Set(results.profiles.flatMap((profile) => profile.attribution.owners.map((owner) => owner.name)))];
	const order = names.sort(
		(a, b) =>
			Math.max(...results.profiles.map((profile) => (profile.attribution.owners.find((owner) => owner.name === b) || { ms: 0 }).ms)) -
			Math.max(...results.profiles.map((profile) => (profile.attribution.owners.find((owner) => owner.name === a) || { ms: 0 }).ms)),
	);
	const header = ['Where the time went (CPU profile, 0 ms latency)', ...results.profiles.map((profile) => profile.label)];
	const rows = order.map((name) => [
		name,
		...results.profiles.map((profile) => {
			const owner = profile.attribution.owners.find((candidate) => candidate.name === name);
			if (!owner || owner.ms < 0.5) return '';
			return `${ms(owner.ms)} ms (${((100 * owner.ms) / profile.attribution.totalMs).toFixed(0)} %) · ${((1000 * owner.ms) / profile.requests).toFixed(0)} µs/req`;
		}),
	]);
	rows.push(['**total profiled**', ...results.profiles.map((profile) => `**${ms(profile.attribution.totalMs)} ms** · ${((1000 * profile.attribution.totalMs) / profile.requests).toFixed(0)} µs/req`)]);
	return table(header, rows);
}

function ownerMs(profile, fragment) {
	return profile.attribution.owners.filter((owner) => owner.name.includes(fragment)).reduce((sum, owner) => sum + owner.ms, 0);
}

function memoryTable(results) {
	const fileBytes = results.constants.FILE_BYTES;
	const rows = [];
	for (const group of results.memory) {
		for (const entry of group.series) {
			const growth = entry.runs.map((run) => run.rssGrowth);
			rows.push([
				group.variant,
				`${group.latency} ms`,
				entry.client === 'node' ? `node, ${entry.mode} mode` : 'raw undici, to disk',
				entry.how,
				times(entry.runs.map((run) => run.ms)),
				`${mb(median(growth))} (max ${mb(Math.max(...growth))})`,
				`${(median(growth) / fileBytes).toFixed(2)}× (max ${(Math.max(...growth) / fileBytes).toFixed(2)}×)`,
				`${requestsOf(entry)}`,
				otherLoad(entry.runs),
			]);
		}
	}
	return table(['Scenario', 'Latency', 'Client', 'Binary data', 'Time ms: min / **median** / max', 'Peak RSS growth MB: median (max)', 'Growth / file size', 'Requests', 'Other load ¹'], rows);
}

function memoryModeRange(results) {
	const ratios = results.memory.flatMap((group) => group.series.filter((entry) => entry.mode === 'memory').flatMap((entry) => entry.runs.map((run) => run.rssGrowth / results.constants.FILE_BYTES)));
	return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;
}

function documentedRequests(entry, results) {
	const { UNDECIDED } = results.constants;
	const pages = (count) => Math.ceil(count / 100);
	// The list down to the cursor: the new invoices and the one they follow.
	if (entry.event === 'invoiceCreated') return pages(entry.fresh + 1);
	return entry.fresh ? pages(entry.fresh + 1) + pages(UNDECIDED + entry.fresh) : 1 + pages(UNDECIDED);
}

function triggerTable(results) {
	const rows = results.trigger.map((entry) => {
		const nodeTimes = entry.node.map((poll) => poll.ms);
		const rawTimes = entry.raw.map((poll) => poll.ms);
		const requests = constant(entry.node.map((poll) => poll.requests));
		return [
			entry.event === 'invoiceCreated' ? 'Invoice Created' : 'Invoice Approved',
			entry.fresh ? `${entry.fresh.toLocaleString('en')} new invoices since the last poll` : 'idle (nothing new)',
			`${entry.latency} ms`,
			times(nodeTimes),
			times(rawTimes),
			`${(median(nodeTimes) / median(rawTimes)).toFixed(2)}×`,
			`${requests} (documented: ${documentedRequests(entry, results)})`,
			`${constant(entry.node.map((poll) => poll.count))}`,
			`${kb(Math.max(...entry.node.map((poll) => poll.stateBytes)))} KB`,
			mb(Math.max(...entry.node.map((poll) => poll.rssGrowth))),
			otherLoad([...entry.node, ...entry.raw]),
		];
	});
	return table(['Event', 'Poll', 'Latency', 'node poll ms: min / **median** / max', 'raw replay ms', 'node / raw', 'Requests per poll', 'Items emitted', 'Stored state', 'Peak RSS growth MB', 'Other load ¹'], rows);
}

/** Scenario 7: the trigger's cost on an account with a large rejected history. */
function scaleSection(results) {
	const scale = results.scale;
	if (!scale) return '_Not measured in this run._';
	const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
	const rows = scale.configs.map((entry) => {
		const requests = entry.idle.map((poll) => poll.requests);
		const states = [entry.activation.stateBytes, ...entry.idle.map((poll) => poll.stateBytes)];
		return [
			entry.name,
			`${entry.activation.requests}`,
			`${Math.min(...requests)} / **${mean(requests).toFixed(2)}** / ${Math.max(...requests)}`,
			`${yes(mean(requests) <= 8)}`,
			times(entry.idle.map((poll) => poll.ms)),
			`${kb(entry.activation.stateBytes)} / ${kb(Math.max(...states))}`,
			`${entry.emittedIdle}`,
			`${entry.approval.reported ? 'next poll' : '**not at the next poll**'}, ${entry.approval.requests} requests`,
			entry.masked.found ? `after ${Object.values(entry.masked.seenAt).join(' and ')} polls` : `**not found in ${entry.masked.polls} polls**`,
		];
	});
	return table(['Trigger', 'Activation requests', `Requests per idle poll (${scale.polls} polls): min / **mean** / max`, 'mean ≤ 8', 'Idle poll ms', 'Stored state KB: at activation / max', 'Items from idle polls', 'Old rejected invoice approved', 'Approval + un-approval and rejection between two polls'], rows);
}

function coldLoadTable(results) {
	const runs = results.coldLoad;
	return table(
		['What is loaded (fresh process, 7 runs)', 'ms: min / **median** / max'],
		[
			['`n8n-workflow` (n8n has it loaded before it loads community nodes)', times(runs.map((run) => run.workflowMs))],
			[`credential + BillOver + BillOver Trigger from dist/ (${runs[0].ownFiles} files)`, times(runs.map((run) => run.packMs))],
			['instantiating the three classes', times(runs.map((run) => run.instantiateMs))],
		],
	);
}

function targets(results) {
	const rows = [];
	const allSeries = [...results.groups, ...results.memory].flatMap((group) => group.series.map((entry) => ({ group, entry })));
	const inexact = allSeries.filter(({ entry }) => !exact(entry));
	rows.push([
		'Requests = the minimum the API allows (⌈N/100⌉ pages; 1 per item; 1 per export; detail + file per download)',
		inexact.length ? `${inexact.length} series above the minimum: ${inexact.map(({ group, entry }) => `${group.variant} ${clientLabel(entry)} @${group.latency} ms`).join('; ')}` : `all ${allSeries.length} series exact`,
		yes(inexact.length === 0),
	]);
	const triggerOff = results.trigger.filter((entry) => entry.node.some((poll) => poll.requests !== documentedRequests(entry, results)));
	rows.push([
		'Trigger requests per poll as documented (Created: ⌈(k+1)/100⌉ for k new, 1 when idle; Approved: that + ⌈W/100⌉ for the W undecided)',
		triggerOff.length ? `${triggerOff.length} cases differ` : `all ${results.trigger.length} cases as documented`,
		yes(triggerOff.length === 0),
	]);
	for (const latency of results.constants.OTHER_LATENCIES || [0, 20]) {
		const ratios = sequentialRatios(results, latency);
		const above = ratios.filter(({ value }) => value > TARGET_RATIO);
		rows.push([
			`node ≤ ${TARGET_RATIO}× raw, one at a time against one at a time (scenarios 1-2), ${latency} ms latency`,
			ratios.map(({ group, value }) => `${variantLabel(group, results)}: ${value.toFixed(2)}×`).join('; '),
			yes(above.length === 0),
		]);
	}
	for (const latency of results.constants.LATENCIES) {
		const ratios = floorRatios(results, latency);
		if (!ratios.length) continue;
		rows.push([
			`Our code adds at most 5 % over the floor, one request at a time: ours ≤ ${FLOOR_RATIO}× floor (median), ${latency} ms latency`,
			ratios.map(({ group, value }) => `${variantLabel(group, results)}: ${value.toFixed(2)}×`).join('; '),
			yes(ratios.every(({ value }) => value <= FLOOR_RATIO)),
		]);
	}
	const http = httpTargets(results);
	if (http.length) {
		rows.push([
			`Return All (${results.constants.INVOICES.toLocaleString('en')} invoices) and ${results.constants.ITEMS.toLocaleString('en')} approvals (ours as shipped: Requests in Parallel Auto) at 20 ms: ≥ ${HTTP_SPEED_UP}× faster than the HTTP Request node at its best, with the same results and no more requests`,
			http
				.map(
					({ group, speedUp, same, requests }) =>
						`${variantLabel(group, results)}: ${speedUp >= 1 ? `ours ${speedUp.toFixed(2)}× faster` : `ours ${(1 / speedUp).toFixed(2)}× slower`} (${ms(medianMs(pick(group, 'node', 'concurrent')))} vs ${ms(medianMs(pick(group, 'httpRequest')))} ms), ${same ? 'same results' : '**other results**'}, requests ${requests.ours} vs ${requests.http}`,
				)
				.join('; '),
			yes(http.every(({ speedUp, same, requests }) => speedUp >= HTTP_SPEED_UP && same && requests.ours <= requests.http)),
		]);
	}
	const far = sequentialRatios(results, 50);
	if (far.length) {
		rows.push([
			`At 50 ms: ours ≤ ${FAR_RAW_RATIO}× raw undici, one at a time`,
			far.map(({ group, value }) => `${variantLabel(group, results)}: ${value.toFixed(2)}×`).join('; '),
			yes(far.every(({ value }) => value <= FAR_RAW_RATIO)),
		]);
	}
	const differ = results.groups.filter((group) => !sameResults(group));
	rows.push([
		'Every client of a scenario gives the same results in every run (digest of the output ²)',
		differ.length ? `differ: ${differ.map((group) => `${variantLabel(group, results)} @${group.latency} ms`).join('; ')}` : `all ${results.groups.length} scenarios`,
		yes(differ.length === 0),
	]);
	for (const mode of ['filesystem', 'memory']) {
		const growth = results.memory.flatMap((group) => group.series.filter((entry) => entry.mode === mode).map((entry) => ({ group, worst: Math.max(...entry.runs.map((run) => run.rssGrowth)) / results.constants.FILE_BYTES })));
		rows.push([
			mode === 'filesystem'
				? 'Peak RSS growth ≤ 2× the file (scenario 3), n8n binary data in filesystem mode (n8n 2.x\'s default): the figure the target is for'
				: 'The same in memory mode, for reference: n8n itself holds the file and its base64 copy there (see 3.)',
			growth.map(({ group, worst }) => `${group.variant.split(' (')[0]} @${group.latency} ms: ${worst.toFixed(2)}×`).join('; '),
			yes(growth.every(({ worst }) => worst <= 2)),
		]);
	}
	const idleApproved = results.trigger.filter((entry) => entry.fresh === 0);
	const state = Math.max(...idleApproved.flatMap((entry) => entry.node.map((poll) => poll.stateBytes)));
	rows.push([
		`Trigger state ≤ 16 KB at ${results.constants.TRIGGER_INVOICES.toLocaleString('en')} invoices (${results.constants.UNDECIDED} awaiting a decision)`,
		`${kb(state)} KB`,
		yes(state <= STATE_LIMIT),
	]);
	rows.push(...rateLimitedTargets(results));
	if (results.scale) {
		const { scale } = results;
		const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
		const label = `${scale.rejected.toLocaleString('en')} rejected and ${scale.waiting} waiting invoices (7.)`;
		rows.push([
			`Trigger, ${label}: on average ≤ 8 requests per idle poll over ${scale.polls} polls; nothing missed`,
			scale.configs.map((entry) => `${entry.name}: ${mean(entry.idle.map((poll) => poll.requests)).toFixed(2)}, old approval ${entry.approval.reported ? 'at the next poll' : '**late**'}, masked change ${entry.masked.found ? `after ${Math.max(...Object.values(entry.masked.seenAt))} polls` : '**not found**'}`).join('; '),
			yes(scale.configs.every((entry) => mean(entry.idle.map((poll) => poll.requests)) <= 8 && entry.approval.reported && entry.masked.found && entry.emittedIdle === 0)),
		]);
		const worst = Math.max(...scale.configs.flatMap((entry) => [entry.activation.stateBytes, ...entry.idle.map((poll) => poll.stateBytes)]));
		rows.push([
			`Trigger, ${label}: stored state ≤ 128 KB at every poll, activation included`,
			`${kb(worst)} KB at most (activation: kept once, no longer twice). Not met: each rejected uid is kept so that its deletion can be reported; 16 bytes each, and 10,000 random UUIDs are 152.5 KB of information`,
			yes(worst <= 128 * 1024),
		]);
	}
	if (results.constants.BUDGET_S) {
		rows.push([
			`The whole \`npm run bench\` within ${results.constants.BUDGET_S / 60} minutes on this machine`,
			`${(results.durationS / 60).toFixed(1)} min${results.smoke ? ' (smoke run: small sizes, not the real figure)' : ''}`,
			results.smoke ? 'n/a' : yes(results.durationS <= results.constants.BUDGET_S),
		]);
	}
	return table(['Target', 'Result', ''], rows);
}

/** ours / floor, one at a time, for each scenario at `latency` that has a floor. */
function floorRatios(results, latency) {
	return results.groups
		.filter((group) => group.latency === latency)
		.map((group) => ({ group, value: over(pick(group, 'node', 'sequential'), pick(group, 'floor', 'sequential')) }))
		.filter(({ value }) => value !== undefined);
}

/**
 * The HTTP Request target at 20 ms: Return All (ours as shipped) and Approve
 * (Items in Parallel) against the HTTP Request node, how many times faster
 * ours is, whether the results are the same and the requests no more.
 */
function httpTargets(results) {
	return ['Return All', 'Approve']
		.map((variant) => find(results, variant, 20))
		.filter((group) => group && pick(group, 'httpRequest') && pick(group, 'node', 'concurrent'))
		.map((group) => {
			const ours = pick(group, 'node', 'concurrent');
			const http = pick(group, 'httpRequest');
			const same = digestOf(ours) === digestOf(http) && typeof digestOf(ours) === 'string';
			return { group, speedUp: medianMs(http) / medianMs(ours), same, requests: { ours: Math.max(...ours.runs.map((run) => run.requests)), http: Math.min(...http.runs.map((run) => run.requests)) } };
		});
}

/** node / raw, one at a time against one at a time, for each scenario at `latency`. */
function sequentialRatios(results, latency) {
	return results.groups
		.filter((group) => group.latency === latency)
		.flatMap((group) => group.series.filter((entry) => entry.client === 'node' && entry.pairing === 'sequential').map((entry) => ({ group, value: ratio(group, entry) })))
		.filter(({ value }) => value !== undefined);
}

const range = (values) => {
	const list = values.map(({ value }) => value);
	return `${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)}×`;
};

function findings(results) {
	const lines = [];
	const profile = (fragment) => results.profiles.find((candidate) => candidate.label.startsWith(fragment));
	const nodeGet = profile('node: Get Many');
	const rawGet = profile('raw: Get Many');
	const nodeApprove = profile('node: Approve');
	const rawApprove = profile('raw: Approve');
	const nodeCreate = profile('node: Create');
	const perRequest = (value, requests) => `${((1000 * value) / requests).toFixed(0)} µs`;
	const approve0 = find(results, 'Approve', 0);
	const getMany0 = find(results, 'Return All', 0);
	const create0 = results.groups.find((group) => group.latency === 0 && group.variant.startsWith('Create'));
	const items = results.constants.ITEMS;
	const extra = (group) => {
		const [node, raw] = [pick(group, 'node', 'sequential'), pick(group, 'raw', 'sequential')];
		return `${(((medianMs(node) - medianMs(raw)) / node.minRequests) * 1000).toFixed(0)} µs`;
	};
	const far = sequentialRatios(results, 50);
	if (approve0 && getMany0 && create0) {
		lines.push(
			`- **One at a time, the node takes ${range(sequentialRatios(results, 0))} undici's time at 0 ms, ${range(sequentialRatios(results, 20))} at 20 ms${far.length ? ` and ${range(far)} at 50 ms` : ''}.** The difference is a cost per request, not per byte: at 0 ms ${extra(getMany0)} per page of Get Many, ${extra(approve0)} per approval, ${extra(create0)} per upload. Against a server that answers in microseconds that is a large ratio; behind 20 ms per request it is a few per cent.`,
		);
	}
	if (nodeApprove && rawApprove) {
		lines.push(
			`- **Approve, per item (profile above):** n8n's HTTP helper ${perRequest(ownerMs(nodeApprove, "n8n's HTTP helper"), items)} and Node's sockets ${perRequest(ownerMs(nodeApprove, "Node's sockets"), items)} (n8n makes a new \`http.Agent\`, so a new TCP connection, for every request) against undici ${perRequest(ownerMs(rawApprove, 'undici'), items)} and sockets ${perRequest(ownerMs(rawApprove, "Node's sockets"), items)} on its kept-alive connection; n8n applying the credential ${perRequest(ownerMs(nodeApprove, 'credential'), items)} (its \`authenticate\` resolves \`={{$credentials.apiKey}}\` for every request), \`getNodeParameter\` ${perRequest(ownerMs(nodeApprove, 'parameters and expressions'), items)} (evaluating \`={{ $json.uid }}\` for each item), n8n's engine ${perRequest(ownerMs(nodeApprove, "n8n's engine"), items)}, **our code ${perRequest(ownerMs(nodeApprove, 'our code'), items)}**. Waiting for the simulator: ${perRequest(ownerMs(nodeApprove, 'idle'), items)} per item for the node, ${perRequest(ownerMs(rawApprove, 'idle'), items)} for undici${ownerMs(nodeApprove, 'idle') > 1.5 * ownerMs(rawApprove, 'idle') ? " (the simulator, too, accepts a new connection for each of the node's requests)" : ''}.`,
		);
	}
	if (nodeGet && rawGet) {
		lines.push(
			`- **Get Many, per page:** n8n's HTTP helper and sockets ${perRequest(ownerMs(nodeGet, "n8n's HTTP helper") + ownerMs(nodeGet, "Node's sockets"), nodeGet.requests)} (undici and sockets: ${perRequest(ownerMs(rawGet, 'undici') + ownerMs(rawGet, "Node's sockets"), rawGet.requests)}), our code ${perRequest(ownerMs(nodeGet, 'our code'), nodeGet.requests)} — mostly decoding and \`JSON.parse\` of the page, which undici's \`body.json()\` does as well — and n8n's engine ${perRequest(ownerMs(nodeGet, "n8n's engine"), nodeGet.requests)} (100 output items per page).`,
		);
	}
	if (nodeCreate) {
		lines.push(
			`- **Create, per item:** n8n's HTTP helper and sockets ${perRequest(ownerMs(nodeCreate, "n8n's HTTP helper") + ownerMs(nodeCreate, "Node's sockets"), nodeCreate.requests)} (axios also encodes the multipart form), the credential ${perRequest(ownerMs(nodeCreate, 'credential'), nodeCreate.requests)}, binary data helpers ${perRequest(ownerMs(nodeCreate, 'binary data'), nodeCreate.requests)}, our code ${perRequest(ownerMs(nodeCreate, 'our code'), nodeCreate.requests)} (validation, the form).`,
		);
	}
	const approve20 = find(results, 'Approve', 20);
	if (approve0 && approve20) {
		const [node0, raw0] = [pick(approve0, 'node', 'sequential'), pick(approve0, 'raw', 'sequential')];
		const [node20, raw20, nodeParallel20] = [pick(approve20, 'node', 'sequential'), pick(approve20, 'raw', 'sequential'), pick(approve20, 'node', 'concurrent')];
		lines.push(
			`- **Behind 20 ms every request costs more CPU than at 0 ms, for both clients** (CPU µs per request, Approve one at a time: node ${cpuPerRequest(node0).toFixed(0)} → ${cpuPerRequest(node20).toFixed(0)}, undici ${cpuPerRequest(raw0).toFixed(0)} → ${cpuPerRequest(raw20).toFixed(0)}): a process that sleeps between requests pays for waking up on this virtual machine, and the node's longer path per request pays more. That, not the waiting, is the node's margin at 20 ms: ${extra(approve20)} per approval.`,
		);
		if (nodeParallel20) {
			lines.push(
				`- **Auto behind 20 ms is ${ratio(approve20, nodeParallel20).toFixed(2)}× undici up to ${results.constants.AUTO_CEILING} at a time:** with many requests in flight the node's CPU per request (${cpuPerRequest(nodeParallel20).toFixed(0)} µs), on one JavaScript thread, is what limits it, not the round trip. It is ${(medianMs(node20) / medianMs(nodeParallel20)).toFixed(1)}× faster than the node one at a time.`,
			);
		}
	}
	const floorApprove = profile('floor: Approve');
	if (nodeApprove && floorApprove) {
		lines.push(
			`- **Approve against the floor, per item (profiles above):** ours ${perRequest(nodeApprove.attribution.totalMs, items)} profiled, the floor ${perRequest(floorApprove.attribution.totalMs, items)}; node parameters and expressions ${perRequest(ownerMs(nodeApprove, 'parameters and expressions'), items)} against ${perRequest(ownerMs(floorApprove, 'parameters and expressions'), items)} (ours reads the Invoice resource locator, the floor a plain string; both evaluate \`={{ $json.uid }}\`), our code ${perRequest(ownerMs(nodeApprove, 'our code'), items)}.`,
		);
	}
	lines.push(...comparisonFindings(results));
	for (const entry of results.diagnostics) {
		const before = median(entry.perRequestAgent);
		const after = median(entry.keepAliveAgent);
		lines.push(
			`- **Keep-alive, measured:** with one keep-alive agent patched into n8n-core (diagnostic only; a node cannot pass an agent to n8n's helpers), ${entry.label} takes ${ms(after)} ms instead of ${ms(before)} ms (${(((before - after) / before) * 100).toFixed(0)} % less).`,
		);
	}
	return lines.join('\n');
}


/** What the comparison with the floor and the HTTP Request node says, from the figures. */
function comparisonFindings(results) {
	const lines = [];
	const floorRange = (latency) => {
		const ratios = floorRatios(results, latency);
		return ratios.length ? `${range(ratios)} the floor's time at ${latency} ms` : undefined;
	};
	const ranges = results.constants.LATENCIES.map(floorRange).filter(Boolean);
	if (ranges.length) {
		const perRequest = results.groups
			.filter((group) => group.latency === 0 && pick(group, 'floor', 'sequential'))
			.map((group) => {
				const ours = pick(group, 'node', 'sequential');
				const extra = ((medianMs(ours) - medianMs(pick(group, 'floor', 'sequential'))) / ours.minRequests) * 1000;
				return `${variantLabel(group, results)} ${extra.toFixed(0)} µs`;
			});
		lines.push(
			`- **Against the floor** (the same requests, each one call of \`httpRequestWithAuthentication\` and nothing else: \`test/bench/floorNode.js\`), ours one at a time takes ${ranges.join(', ')}. What our code adds per request at 0 ms (median difference; negative: ours was faster): ${perRequest.join(', ')}.`,
		);
	}
	const approve20 = find(results, 'Approve', 20);
	const get20 = find(results, 'Return All', 20);
	const httpApprove = pick(approve20, 'httpRequest');
	const oursApprove = pick(approve20, 'node', 'concurrent');
	if (httpApprove && oursApprove) {
		lines.push(
			`- **n8n's HTTP Request node sends every item of a run at once** (its code builds all the requests before it awaits any; Batching only spaces out their start and never waits for answers): ${approve20.items.toLocaleString('en')} approvals at 20 ms take it ${ms(medianMs(httpApprove))} ms with ${requestsOf(httpApprove)} requests (a new connection each, all open together), ours at its defaults (Requests in Parallel: Auto, at most ${results.constants.AUTO_CEILING} in flight) ${ms(medianMs(oursApprove))} ms (${(medianMs(oursApprove) / medianMs(httpApprove)).toFixed(2)}× its time), one at a time ${ms(medianMs(pick(approve20, 'node', 'sequential')))} ms. Against a rate limit the two part ways: see section 6.`,
		);
	}
	const httpList = pick(get20, 'httpRequest');
	const oursList = pick(get20, 'node', 'concurrent');
	if (httpList && oursList) {
		lines.push(
			`- **Its Pagination fetches one page after another** (each next page is decided by an expression on the answer before): Return All at 20 ms takes it ${ms(medianMs(httpList))} ms for ${requestsOf(httpList)} pages (Split Out included), ours as shipped ${ms(medianMs(oursList))} ms (${(medianMs(httpList) / medianMs(oursList)).toFixed(2)}× faster), ours one page at a time ${ms(medianMs(pick(get20, 'node', 'sequential')))} ms.`,
		);
	}
	return lines;
}

/** Where the run's time went (results.phases), for the 15-minute budget. */
/**
 * Section 6 and its targets: the rows of run.js's rateLimited (one run each
 * at the sandbox's RATE_LIMIT), and the no-limit figures it is set against.
 */
function rateLimitedSection(results) {
	const r = results.rateLimited;
	if (!r) return 'Not measured in this run.';
	const rows = r.rows.map((row) => [
		`${CLIENT_NAMES[row.client]}: ${row.variant}, ${row.items.toLocaleString('en')} items`,
		row.how,
		ms(row.ms),
		`${(row.ms / ((1000 * row.items) / r.limit.rate)).toFixed(2)}×`,
		row.runFailed ? `all ${row.items} (the run failed: ${row.runFailed.slice(0, 80)})` : String(row.failed),
		String(row.requests),
		`${row.throttled} (${((100 * row.throttled) / Math.max(1, row.requests)).toFixed(1)} %)`,
		String(Math.max(0, row.requests - row.items)),
		row.created === undefined ? '' : `${row.created}${row.created > row.items - row.failed ? ' (**duplicates**)' : ''}`,
	]);
	return `The sandbox enforces ${r.limit.rate} requests a second (a bucket of ${r.limit.burst}) and ${r.limit.maxInFlight} requests in flight, as a real API does: over either, \`429\` with
\`Retry-After\` in whole seconds (\`test/sandbox/limits.js\`); ${r.latency} ms of latency. One run each. "Time / (N/R)" is the time over the least the limit
allows. "Sent again" counts requests beyond one per item: after a 429 (the server did nothing: harmless), or a state action or an
upload sent again after it was done. "Invoices created" should equal the items that did not fail. In the "halves" row the limits drop to ${r.halved.rate}/s and
${r.halved.maxInFlight} in flight mid-run.

${table(['Client and scenario', 'Settings', 'Time (ms)', 'Time / (N/R)', 'Items failed', 'Requests', '429s', 'Sent again', 'Invoices created'], rows)}

Ours at its defaults adapts (transport/limiter.ts): a 429 halves what is in flight and caps the request rate at 70 % of the rate BillOver
was taking, climbing back within 4 s; its \`Retry-After\` holds back every request of the run; 429s are not counted as retries. n8n's HTTP
Request node sends every item at once and fails the items that get a 429; Retry On Fail runs the node again for every item (the items
already done included); Batching only spaces out the starts.`;
}

function rateLimitedTargets(results) {
	const r = results.rateLimited;
	const rows = [];
	const approve20 = find(results, 'Approve', 20);
	const approve0 = find(results, 'Approve', 0);
	for (const [group, bound, label] of [
		[approve20, 1.0, 'No limit, 20 ms'],
		[approve0, 1.1, 'No limit, 0 ms'],
	]) {
		const ours = pick(group, 'node', 'concurrent');
		const http = pick(group, 'httpRequest');
		if (!ours || !http) continue;
		const value = medianMs(ours) / medianMs(http);
		rows.push([
			`${label}, ${group.items.toLocaleString('en')} approvals, ours at defaults ≤ ${bound.toFixed(1)}× the HTTP Request node, same results, ${group.items.toLocaleString('en')} requests`,
			`${value.toFixed(2)}× (${ms(medianMs(ours))} vs ${ms(medianMs(http))} ms), ${digestOf(ours) === digestOf(http) ? 'same results' : '**other results**'}, ${requestsOf(ours)} requests`,
			yes(value <= bound && digestOf(ours) === digestOf(http) && String(requestsOf(ours)) === String(group.items)),
		]);
	}
	if (!r) return rows;
	const node = (variant, halved) => r.rows.find((row) => row.client === 'node' && row.variant === variant && row.limitHalved === halved);
	const approve = node('Approve', false);
	if (approve) {
		const bound = (1.15 * approve.items * 1000) / r.limit.rate;
		const share = approve.throttled / Math.max(1, approve.requests);
		rows.push([
			`Limit ${r.limit.rate} req/s and ${r.limit.maxInFlight} in flight, ${r.latency} ms, ${approve.items.toLocaleString('en')} approvals, ours at defaults: 0 failed; time ≤ 1.15 × N/R (${ms(bound)} ms); 429s ≤ 5 % of requests`,
			`${approve.failed} failed; ${ms(approve.ms)} ms; ${approve.throttled} of ${approve.requests} (${(100 * share).toFixed(1)} %)`,
			yes(approve.failed === 0 && approve.ms <= bound && share <= 0.05),
		]);
	}
	const create = node('Create', false);
	if (create) {
		rows.push([
			`The same, ${create.items} uploads: 0 failed, 0 duplicate invoices`,
			`${create.failed} failed; ${create.created} invoices created for ${create.items} uploads`,
			yes(create.failed === 0 && create.created === create.items),
		]);
	}
	const halved = node('Approve', true);
	if (halved) rows.push(['The limit halves mid-run: 0 failed items', `${halved.failed} failed (${ms(halved.ms)} ms)`, yes(halved.failed === 0)]);
	const http = r.rows.filter((row) => row.client === 'httpRequest');
	if (http.length) {
		rows.push([
			'HTTP Request node under the same limit (defaults; Retry On Fail; Batching set to the limit): its failed items, requests sent again, duplicate creates, time',
			http.map((row) => `${row.how.split(' (')[0].split(',')[0]}${row.variant === 'Create' ? ' (uploads)' : ''}: ${row.runFailed ? 'run failed' : `${row.failed} failed`}, ${row.requests} requests, ${row.throttled} × 429${row.created === undefined ? '' : `, ${row.created} created`}, ${ms(row.ms)} ms`).join('; '),
			'measured',
		]);
	}
	return rows;
}

function phasesTable(results) {
	const phases = results.phases || [];
	const rows = phases.map((entry) => [entry.name, `${entry.seconds.toFixed(0)} s`]);
	const rest = results.durationS - phases.reduce((sum, entry) => sum + entry.seconds, 0);
	rows.push(['starting the simulators and clients, warm-up', `${rest.toFixed(0)} s`]);
	rows.push(['**total**', `**${results.durationS.toFixed(0)} s** (${(results.durationS / 60).toFixed(1)} min)`]);
	return table(['Part of the run', 'Time'], rows);
}

function renderReport(results) {
	const m = results.machine;
	const c = results.constants;
	const get20 = find(results, 'Return All', 20);
	const approve20 = find(results, 'Approve', 20);
	return `# Benchmarks

The BillOver node against the floor on n8n — a minimal node making the same requests through n8n's
helper and nothing else —, against n8n's own HTTP Request node set up for the same work at its fastest,
and against a raw [undici](https://undici.nodejs.org) client making the same requests the same way, all in
the same run: what the node adds to each request. **Generated by \`npm run bench\`** (\`test/bench/\`,
about ${Math.round(results.durationS / 60)} minutes here); do not edit by hand.
Run on ${results.date.slice(0, 10)} at commit \`${m.commit}\`.

| Machine and versions | |
| --- | --- |
| CPU | ${m.cpu}, ${m.cores} cores |
| Memory | ${m.memoryGb.toFixed(1)} GB |
| OS | ${m.os} |
| Node.js | ${m.node} |
| n8n-core / n8n-workflow (the engine the node runs on) | ${m.n8nCore} / ${m.n8nWorkflow} |
| undici (the raw client) | ${m.undici} |
| HTTP Request node (n8n-nodes-base of n8n ${m.httpRequest ? m.httpRequest.n8n : '?'}, on the same engine) | ${m.httpRequest ? `n8n-nodes-base ${m.httpRequest.nodesBase}, typeVersion ${results.httpRequest && results.httpRequest.typeVersion ? results.httpRequest.typeVersion : '4.4'}; it ships with n8n-core ${m.httpRequest.shipped['n8n-core']} / n8n-workflow ${m.httpRequest.shipped['n8n-workflow']}` : 'n/a'} |
| n8n-nodes-billover | ${m.pack} (built \`dist/\`) |
| Load average (1 / 5 / 15 min) before → after the run | ${results.loadBefore.map((value) => value.toFixed(2)).join(' / ')} → ${results.loadAfter.map((value) => value.toFixed(2)).join(' / ')} |
| Runs (of 0.2 s or more) measured again because other programs kept more than ${results.retried ? results.retried.busy : '?'} cores busy | ${results.retried ? `${results.retried.runs} (${results.retried.kept} kept anyway: at most ${results.retried.retries} retries per run, ${results.retried.total} in all; trigger polls and fresh-process runs are not repeated)` : 'n/a'} |
| Other work during the measured runs (cores busy, mean of all runs ¹) | ${otherLoad([...results.groups, ...results.memory].flatMap((group) => group.series.flatMap((entry) => entry.runs)).concat(results.trigger.flatMap((entry) => [...entry.node, ...entry.raw])))} |

## How it is measured

- **The server** is the project's BillOver simulator (\`test/sandbox/\`) in a process of its own, on
  loopback: ${c.INVOICES.toLocaleString('en')} seeded invoices for scenarios 1-3, ${c.TRIGGER_INVOICES.toLocaleString('en')} for the trigger. Every
  scenario runs with the simulator answering at once (**0 ms**: exposes each client's own
  per-request cost) and with **20 ms** added before every answer (\`sim.latencyMs = 20\`, both hosts);
  Get Many and Approve also with **50 ms** (${c.ITEMS_50.toLocaleString('en')} approvals there).
- **The floor** (\`test/bench/floorNode.js\`, not shipped) is a minimal node on the same engine that makes
  our node's requests, each by one call of \`this.helpers.httpRequestWithAuthentication('billOverApi', …)\`
  with our credential, and nothing else: no validation, retries or error handling, no Simplify, the
  invoice from a plain string parameter, n8n parsing the JSON. **ours / floor** is what our code adds.
  It runs at 0 ms, where our code's share shows most, and at 50 ms; at 20 ms it is left out to keep
  the run within 15 minutes.
- **n8n's HTTP Request node** (\`test/bench/httpRequestNode.js\`) is n8n-nodes-base's, of the n8n version
  CI uses, run by the same engine: its \`require('n8n-workflow')\`, \`n8n-core\` and \`form-data\` resolve to
  the harness's copies (the versions that n8n release ships), so one engine runs every client. It is set
  up as a user would: a Header Auth credential (\`Api-Key\`) or our credential type; Return All through
  its Pagination option (\`page\` = \`{{ $pageCount + 1 }}\`, \`page_size=100\`, complete when
  \`{{ $pageCount >= $response.body.page_count }}\`) and a Split Out of \`results\`, so that the items are
  ours; one POST per item; one multipart upload per item (a form-data binary field). Its time is its
  execution time as n8n records it (with Split Out's); its settings are the fastest of those tried (below).
- **Same results**: every run's output is reduced to a digest (the uids in order for a list, uid and
  status for state actions, the statuses for uploads), and every client of a scenario must give the same.
- **The node** is the built package (\`dist/\`) run by n8n-core's \`WorkflowExecute\` through the test
  harness (\`test/harness/\`), credentials applied and HTTP sent by n8n's own helpers
  (\`httpRequestWithAuthentication\`, axios). **Node time is the BillOver node's execution time as n8n
  records it** (what the editor shows); a trigger poll is timed around \`poll()\`.
- **The raw client** is undici ${m.undici} (\`Pool\`, keep-alive), reading every body (JSON parsed,
  files piped to disk), one request after another or the same number at a time as the node.
- **Runs alternate** node, raw, floor, HTTP Request … in long-lived processes warmed up first; each
  figure is ${results.runs} runs${results.longRuns && results.longRuns !== results.runs ? ` (${results.longRuns} for the long series behind latency — Return All, the items and uploads at 20 and 50 ms, whose runs spread by a few per cent — and the keep-alive diagnostic)` : ''}: min / **median** / max. Set-up between runs (undoing approvals, removing
  uploads, new invoices for the trigger) is done on the simulator's store and not measured.
- **Requests** are counted by the simulator's request log, per run. **Peak RSS growth**: RSS sampled
  every 5 ms and the process's RSS high-water mark, minus the RSS before the run (after a GC).
  Scenario 3 starts a fresh process for every run, so the high-water mark is that run's alone.

## Targets

${targets(results)}

## 1-2. Get Many, and ${c.ITEMS.toLocaleString('en')} items

${groupTable(results.groups, results)}

Remove Approval is measured at 0 ms; behind latency the approvals are undone on the simulator (it is the
same kind of request as Approve, and more runs of ${c.ITEMS.toLocaleString('en')} requests would not fit the time budget). Uploads
behind 20 ms are ${c.CREATE_ITEMS_LATENCY.toLocaleString('en')}, one at a time, and approvals behind 50 ms ${c.ITEMS_50.toLocaleString('en')}, for the same reason: one
at a time, every request there waits the full latency. "CPU µs per request": the client process's CPU time (user + system) per request, median.
¹ Cores busy with other work during the runs, on average: the machine's CPU time (\`/proc/stat\`) minus
that of the benchmark's processes (\`test/bench/machineLoad.js\`); it includes kernel work not charged to
a process, such as loopback networking. Figures measured while other programs were busy are slower.

### Against the floor and n8n's HTTP Request node

${comparisonTable(results)}

"ours / floor" pairs ours one at a time with the floor; "ours / HTTP Request node" pairs each of ours
with the HTTP Request node at its best (which sends every item at once, and pages one after another);
"ours / raw" pairs ours with undici doing the same (one at a time; Get Many ${c.PARALLEL} pages at a time; items: Auto against undici up to ${c.AUTO_CEILING} at a time). Below 1.00×, ours is faster.
² The digest of the output (worker.js): all clients' outputs of a scenario have the same uids in the same
order (lists) or the same uids and statuses (state actions, uploads), in every run.

The HTTP Request node's settings were tried at 0 ms before the measured runs (${c.CALIBRATION_RUNS} run${c.CALIBRATION_RUNS === 1 ? '' : 's'} each after one unrecorded
pass, alternating); the fastest for each kind of scenario is the one measured everywhere above (Return All's
for Get Many, Approve's for the state actions, Create's for the uploads):

${httpRequestTable(results)}

Not tried, by its code: Batching (without it every item's request is sent at once; "Items per Batch" with an
interval of 0 is the same code path, and an interval only adds waits); the pagination's Interval Between
Requests (0, its default) and Max Pages (a limit, not faster); \`page_size=100\` is the API's maximum.

### Doing better than one request after another (Get Many: ${c.PARALLEL} pages at a time; items: "Requests in Parallel: Auto")

${speedUps(results)}

${get20 && approve20 ? `At 20 ms a Return All over ${c.INVOICES.toLocaleString('en')} invoices takes ${ms(medianMs(pick(get20, 'node', 'concurrent')))} ms instead of ${ms(medianMs(pick(get20, 'node', 'sequential')))} ms, and ${c.ITEMS.toLocaleString('en')} approvals ${ms(medianMs(pick(approve20, 'node', 'concurrent')))} ms instead of ${ms(medianMs(pick(approve20, 'node', 'sequential')))} ms.` : ''}
At 0 ms the gain is smaller: the node's own CPU per request (the "CPU µs per request" column) is then
what limits it, on one JavaScript thread. Get Many fetches page 1, then the pages still needed ${c.PARALLEL} at a time (a limit still fetches only the
pages it needs; order and de-duplication as before). Per-item operations run as many items at a time
as BillOver takes (**Options → Requests in Parallel: Auto**, the default: from 4 in flight, one more per
clean answer, up to ${c.AUTO_CEILING}); output order, paired items, Continue On Fail and "a create is never
repeated" are unchanged (engine tests in \`test/node/concurrency.test.js\` and
\`test/transport/limiter.test.js\`).

### Where the time goes

One extra run of each at 0 ms, under the CPU profiler, charges every sample to the first owner on its
stack from the leaf up (\`test/bench/profile.js\`; the credential's rule looks at the whole stack, since
n8n resolves the credential's expression with its expression code):

${profileTables(results)}

${findings(results)}
- **What is ours to change, we changed:** the pages of Get Many and the items (Auto) are sent
  concurrently, files are streamed, the credential is resolved once per run. The remaining cost per
  request is n8n's: the node must send through \`httpRequestWithAuthentication\` (proxy, TLS and
  credential handling come with it), which accepts no agent, and must read parameters with
  \`getNodeParameter\`.

## 3. Large files: 50 MB, peak memory

${memoryTable(results)}

The 50 MB export is a fixed incompressible body the benchmark's simulator answers for Export XLSX
(its real XLSX of ${c.INVOICES.toLocaleString('en')} invoices is about 1 MB; writing 50 MB of XLSX would take minutes); the 50 MB
file is an invoice's file on the storage host. The node asks n8n's helper for a **stream** and hands it
to \`prepareBinaryData\`: in **filesystem mode** (n8n 2.x's default in regular mode) n8n writes it to
disk as it arrives, so memory does not grow with the file. In **memory mode** (the harness's default,
n8n's old "default" mode) n8n itself collects the stream into one Buffer and keeps the item's data as a
base64 string (4/3 of the file), so the bytes, their base64 copy and, until the garbage collector runs,
the received chunks are all in memory: the growth measured there was ${memoryModeRange(results)} of the file
depending on when the collector ran, whatever the node asks n8n for (a Buffer from \`encoding:
'arraybuffer'\`, as before, is collected the same way by axios). The ≤ 2× figure is therefore for
filesystem mode.

## 4. Trigger: ${c.TRIGGER_INVOICES.toLocaleString('en')} invoices, ${c.UNDECIDED} awaiting a decision

${triggerTable(results)}

"raw replay" sends the node's exact requests of that poll with undici, one after another. Invoice
Approved reads the list down to its cursor **and** the whole set W of invoices still waiting or
rejected (\`1 + ⌈W/100⌉\` when idle; README, "How it works"): that is the price of seeing an old invoice
approved, since the API cannot filter by approval time. With ${c.NEW_INVOICES.toLocaleString('en')} new waiting invoices W grows by
${c.NEW_INVOICES.toLocaleString('en')}, and so do its pages and its stored state; state is bounded by what is undecided, not by
the account's ${c.TRIGGER_INVOICES.toLocaleString('en')} invoices.

## 5. Cold load

${coldLoadTable(results)}

## 6. Under BillOver's rate limits

${rateLimitedSection(results)}

## 7. Trigger at scale: ${results.scale ? `${results.scale.rejected.toLocaleString('en')} rejected and ${results.scale.waiting} waiting invoices` : 'a large rejected history'}

${scaleSection(results)}

${results.scale ? `On an account of ${results.scale.invoices.toLocaleString('en')} invoices, ${results.scale.latency} ms latency. ` : ''}A rejected invoice can still be approved or deleted, so the trigger
watches it for as long as it exists. An idle poll reads the new invoices (1 request), the waiting ones
(⌈waiting/100⌉), the first page of the rejected ones, whose \`count\` must be what the state expects
(1), and one window of creation dates holding about 300 of them (≤ 3 pages); a lap over every date
takes about rejected / 250 polls. An approval or deletion of a rejected invoice changes the count and
is found at the next poll, by halving the dates (one count per halving). A change the count cannot
tell (one approval while an approved invoice is un-approved and rejected) is found when the lap
reaches its dates. The stored state keeps each rejected uid (a deletion must be reported with it, and
BillOver keeps nothing of a deleted invoice): 16 bytes in base64, about 23.5 bytes per rejected
invoice with the dates, so it grows with the rejected history; 10,000 random UUIDs alone are
152.5 KB of information, which no encoding of them fits in 128 KB.

## 8. The run's time

${phasesTable(results)}
`;
}

module.exports = { renderReport };
