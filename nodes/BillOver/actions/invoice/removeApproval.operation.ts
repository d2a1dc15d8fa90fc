import { stateActionOperation } from './stateAction';

/** POST /v1/invoices/{uid}/remove-approval: approved → waiting. */
export const { description, execute } = stateActionOperation('removeApproval');
