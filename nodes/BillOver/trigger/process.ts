/**
 * This n8n process, for its whole life. The trigger stores it with its
 * state; a stored value that differs means the state was saved by another
 * process: n8n has restarted (or, in queue mode, another main has become
 * the leader) since. It is an identity, not state: nothing is kept here.
 */
export const PROCESS_ID = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
