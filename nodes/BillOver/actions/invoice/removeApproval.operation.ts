import { stateActionOperation } from './stateAction';

/** POST /v1/invoices/{uid}/remove-approval: approved → waiting. */
export const { description, execute } = stateActionOperation({
	value: 'removeApproval',
	path: 'remove-approval',
	targetStatus: 'waiting',
	permission: 'can_remove_approval',
	action: 'remove the approval of',
});
