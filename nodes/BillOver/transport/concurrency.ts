/**
 * Running a few requests at a time without losing order or errors.
 */

/** What `mapBounded` knows once every started task has settled. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Calls `task` for each of `inputs` with at most `limit` calls in flight,
 * starting them in input order. Answers the outcomes in input order.
 *
 * When `stopOnError` is set, no task is started after one has failed; the
 * tasks already running are waited for (nothing is left running unobserved),
 * and the inputs never started have no entry (`undefined`).
 */
export async function mapBounded<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
	{ stopOnError = false }: { stopOnError?: boolean } = {},
): Promise<Array<Settled<R> | undefined>> {
	const outcomes: Array<Settled<R> | undefined> = new Array<Settled<R> | undefined>(inputs.length);
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < inputs.length && !(stopOnError && failed)) {
			const index = next++;
			try {
				outcomes[index] = { ok: true, value: await task(inputs[index], index) };
			} catch (error) {
				failed = true;
				outcomes[index] = { ok: false, error };
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, inputs.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return outcomes;
}
