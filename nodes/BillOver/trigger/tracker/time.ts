const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO 8601 datetime with offset (the API's `created_at`, microsecond
 * precision) as microseconds since the epoch, UTC. Exact: no float rounding
 * of the fraction (Date.parse would drop the microseconds).
 */
export function toMicros(iso: string): number {
	const match = ISO.exec(iso.trim());
	if (!match) throw new Error(`Unreadable created_at "${iso}"`);
	const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
	const millis = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
	const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
	let offsetMinutes = 0;
	if (zone !== 'Z') {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
	}
	return (millis - offsetMinutes * 60_000) * 1000 + micros;
}

/** Microseconds since the epoch as ISO 8601 in UTC with all six fraction digits ("…T18:02:29.706626Z"). */
export function toUtcIso(micros: number): string {
	const millis = Math.floor(micros / 1000);
	const fraction = String(micros - millis * 1000).padStart(3, '0');
	return `${new Date(millis).toISOString().slice(0, 23)}${fraction}Z`;
}
