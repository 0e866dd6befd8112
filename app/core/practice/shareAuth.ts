import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Share files are authenticated with a practice key (policy setting `practiceKey`, 256 bits as
 * 64 hex characters, the same on every PC of the practice): the header carries
 * `mac` = HMAC-SHA256(key, header-without-mac + "\n" + every record line). A folder written
 * by something without the key (a device that can write to the share, a hand-made folder) then
 * cannot vote for a practice-wide outage: its files are listed as skipped and not counted.
 */
export function practiceKeyFromSettings(settings: { practiceKey?: string | undefined }): Buffer | null {
  return settings.practiceKey ? Buffer.from(settings.practiceKey, 'hex') : null;
}

/** An HMAC that is fed the header (without its mac) and then the record bytes as they arrive. */
export function shareMac(key: Buffer, headerWithoutMac: string): { update(bytes: Uint8Array | string): void; digestHex(): string } {
  const hmac = createHmac('sha256', key).update(`${headerWithoutMac}\n`);
  return {
    update: (bytes) => void hmac.update(bytes),
    digestHex: () => hmac.digest('hex'),
  };
}

export function macMatches(expectedHex: string, actual: unknown): boolean {
  if (typeof actual !== 'string' || !/^[0-9a-f]{64}$/.test(actual)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(actual, 'hex'));
}
