/**
 * The Availability Zones of a region on the sim, the one list everything
 * that needs a region's zones reads: EC2's DescribeAvailabilityZones, where
 * EC2 and RDS place what names no subnet, and the environment loader's
 * `${gameday:AvailabilityZones}` on the sim target.
 *
 * Every region has at least three zones (AWS's own rule for new regions),
 * so the sim's have a, b and c; a subnet the environment declares in
 * another zone of the region (us-east-1d) adds that zone, since the sim
 * would otherwise hold a subnet in a zone it says does not exist.
 */

const LETTERS = ['a', 'b', 'c'];

/** The zones of `region`, sorted: its a, b and c, and any other zone of it among `subnetZones`. */
export function regionZones(region: string, subnetZones: Iterable<string> = []): string[] {
  const zones = new Set(LETTERS.map((letter) => region + letter));
  for (const zone of subnetZones) if (zone.slice(0, -1) === region && /^[a-z]$/.test(zone.slice(-1))) zones.add(zone);
  return [...zones].sort();
}

/**
 * The zone ID of a zone name as the sim numbers them: `us-east-1b` →
 * `use1-az2`, the inverse of fis/validation.ts's zoneNameOf. (AWS maps
 * names to IDs per account; the sim's one account maps them by letter.)
 * The region part is AWS's short form: a compound direction keeps both
 * initials (ap-southeast-2 → apse2), any other word its first letter.
 */
export function zoneIdOf(zone: string): string {
  const region = zone.slice(0, -1);
  const [country = '', ...words] = region.split('-');
  const number = words.pop() ?? '';
  const short = words.map((word) => /^(north|south)(east|west)$/.exec(word)?.slice(1).map((part) => part[0]).join('') ?? word[0]).join('');
  return `${country}${short}${number}-az${zone.charCodeAt(zone.length - 1) - 'a'.charCodeAt(0) + 1}`;
}
