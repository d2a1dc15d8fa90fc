'use strict';

/**
 * A gate for tests of concurrency: API requests wait at it (after they are
 * logged, before they are handled) until `count` of them wait at once; then
 * they all go on, and so does every request after them. Nothing here reads
 * a clock: a client that sends `count` requests at once opens it, one that
 * never does leaves it shut (the test then fails on its own timeout).
 *
 *   const gate = sim.gate(4);
 *   const run = runTheNode();
 *   await gate.opened;          // 4 requests were in flight together
 *   await run;
 */
class Gate {
	/**
	 * @param {number} count
	 * @param {() => void} onOpen
	 * @param {(entry: import('./pipeline').LogEntry) => boolean} [match]  which requests it holds (default: all)
	 */
	constructor(count, onOpen, match = () => true) {
		if (!Number.isInteger(count) || count < 1) throw new TypeError('count must be a whole number >= 1');
		this.count = count;
		this.holds = (entry) => !this.isOpen && match(entry);
		this.waiting = 0;
		this.peak = 0;
		this.release = [];
		this.isOpen = false;
		this.opened = new Promise((resolve) => {
			this.open = () => {
				this.isOpen = true;
				for (const go of this.release.splice(0)) go();
				onOpen();
				resolve(this.peak);
			};
		});
	}

	/** A request arrives: resolves when it may go on. */
	enter() {
		if (this.isOpen) return Promise.resolve();
		return new Promise((resolve) => {
			this.release.push(resolve);
			this.waiting = this.release.length;
			this.peak = Math.max(this.peak, this.waiting);
			if (this.waiting >= this.count) this.open();
		});
	}
}

module.exports = { Gate };
