// AWS partitions: which partition a region belongs to, and the partition's DNS suffix.
export interface Partition {
  id: string;
  dnsSuffix: string;
  regionPattern: RegExp;
}

// Order matters: the first pattern that matches wins, and "aws" matches the rest.
const PARTITIONS: Partition[] = [
  { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', regionPattern: /^cn-[a-z]+-\d+$/ },
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', regionPattern: /^us-gov-[a-z]+-\d+$/ },
  { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', regionPattern: /^us-iso-[a-z]+-\d+$/ },
  { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', regionPattern: /^us-isob-[a-z]+-\d+$/ },
  { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', regionPattern: /^eu-isoe-[a-z]+-\d+$/ },
  { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', regionPattern: /^us-isof-[a-z]+-\d+$/ },
  { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', regionPattern: /^eusc-(de)-[a-z]+-\d+$/ },
  { id: 'aws', dnsSuffix: 'amazonaws.com', regionPattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
];

const COMMERCIAL = PARTITIONS[PARTITIONS.length - 1];

export function partitionOfRegion(region: string): Partition {
  return PARTITIONS.find((p) => p.regionPattern.test(region)) ?? COMMERCIAL;
}

export function isRegionInPartition(region: string, partition: Partition): boolean {
  return partition.regionPattern.test(region);
}

/** The DNS suffix of a region's partition (amazonaws.com, amazonaws.com.cn, ...). */
export function dnsSuffixForRegion(region: string): string {
  return partitionOfRegion(region).dnsSuffix;
}
