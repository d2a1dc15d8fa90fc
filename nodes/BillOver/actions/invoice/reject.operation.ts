import { stateActionOperation } from './stateAction';

/** POST /v1/invoices/{uid}/reject: waiting → rejected. */
export const { description, execute } = stateActionOperation({
	value: 'reject',
	path: 'reject',
	targetStatus: 'rejected',
	permission: 'can_reject',
	action: 'reject',
});
