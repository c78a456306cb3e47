/** GET /bulletins/{period} as the e2e specs read it (the OpenAPI contract check covers the rest). */
export interface BulletinUnitRow {
  unitId: string;
  counts: Record<string, number>;
  targets: { metric: string; limit: number; usedToDate: number; exceeded: boolean }[];
  score: number;
  rank: number;
  lastPlaces: boolean;
}

export interface BulletinReply {
  period: string;
  document: {
    period: string;
    from: string;
    to: string;
    issuedAt: string;
    units: BulletinUnitRow[];
    interviewFlags: { unitId: string; periods: string[]; ranks: number[] }[];
    scoring: { weights: Record<string, number> };
  };
  seal: { algorithm: string; keyId: string; digest: string; signature: string };
  publicKey: string;
  streamId: string;
  eventId: string;
}

/** The bulletin's table, a line per unit: `rank unitId score[ last]`. */
export const bulletinTable = (b: BulletinReply): string[] => b.document.units.map((u) => `${u.rank} ${u.unitId} ${u.score}${u.lastPlaces ? ' last' : ''}`);
