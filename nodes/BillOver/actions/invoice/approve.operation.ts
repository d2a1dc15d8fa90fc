import { stateActionOperation } from './stateAction';

/** POST /v1/invoices/{uid}/approve: waiting or rejected → approved. */
export const { description, execute } = stateActionOperation({
	value: 'approve',
	path: 'approve',
	targetStatus: 'approved',
	permission: 'can_approve',
	action: 'approve',
});
