import { stateActionOperation } from './stateAction';

/** POST /v1/invoices/{uid}/reject: waiting → rejected. */
export const { description, execute } = stateActionOperation('reject');
