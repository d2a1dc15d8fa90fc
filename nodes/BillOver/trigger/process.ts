/**
 * This n8n process, for its whole life. The trigger stores it with its
 * state; a stored value that differs means the state was saved by another
 * process: n8n has restarted (or, in queue mode, another main has become
 * the leader) since. It is an identity, not state: nothing is kept here.
 *
 * It is the moment the process started (`performance.timeOrigin`, to the
 * microsecond), not a value made when this module loads: n8n's Community
 * Nodes updater loads the package's modules anew without a restart, and an
 * update is no restart (nothing was lost, nothing is to be delivered again).
 */
export function processId(): string {
	return Math.round(performance.timeOrigin * 1000).toString(36);
}
