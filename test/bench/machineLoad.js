'use strict';

/**
 * How busy the machine was during a measured run, and with what: the CPU
 * time of the whole machine (/proc/stat) against that of the benchmark's own
 * processes (/proc/<pid>/stat). What is left is other work on the machine
 * (other programs, and kernel work not charged to a process). Linux only;
 * elsewhere it reports nothing.
 */
const fs = require('node:fs');

function read(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

/** Clock ticks: the machine's busy time, and the given processes' user + system time. */
function snapshot(pids) {
	const stat = read('/proc/stat');
	if (!stat) return undefined;
	const [user, nice, system, , , irq, softirq] = stat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	let ours = 0;
	for (const pid of pids) {
		const text = read(`/proc/${pid}/stat`);
		if (!text) continue;
		// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		ours += Number(fields[11]) + Number(fields[12]);
	}
	return { busy: user + nice + system + irq + softirq, ours, at: performance.now() };
}

/** Starts watching `pids`; `stop()` answers `{ otherCores }`: other work, in cores busy on average. */
function watch(pids) {
	const before = snapshot(pids);
	return {
		stop() {
			const after = snapshot(pids);
			if (!before || !after) return undefined;
			const seconds = (after.at - before.at) / 1000;
			const other = Math.max(0, after.busy - before.busy - (after.ours - before.ours)) / 100;
			return { seconds, otherCores: seconds > 0 ? other / seconds : 0 };
		},
	};
}

module.exports = { watch };
