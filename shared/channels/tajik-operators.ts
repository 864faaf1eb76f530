/**
 * The Tajik mobile operators and the prefixes of their numbers: the one table the hotline routes Kannel's SMPP
 * binds by (one bind per operator). The prefixes are those of libphonenumber's carrier map for +992
 * (resources/carrier/en/992.txt, Apache-2.0), as digits after the country code; numbers move between operators
 * only by porting, which Tajikistan does not offer, so a prefix names the network.
 */
export const TAJIK_OPERATORS = ['tcell', 'megafon', 'zet-mobile', 'babilon-m', 'o-mobile'] as const;
export type TajikOperator = (typeof TAJIK_OPERATORS)[number];

export function isTajikOperator(value: string): value is TajikOperator {
  return (TAJIK_OPERATORS as readonly string[]).includes(value);
}

/** National-number prefixes (after +992) of each operator. */
export const TAJIK_OPERATOR_PREFIXES: Record<TajikOperator, readonly string[]> = {
  tcell: ['11', '50', '70', '77', '92', '93', '99'],
  megafon: ['00', '01', '02', '07', '41', '55', '78', '87', '88', '90', '97'],
  'zet-mobile': ['03', '04', '05', '08', '09', '40', '440', '442', '443', '444', '447', '449', '80', '81', '91'],
  'babilon-m': ['17', '71', '75', '94', '98'],
  'o-mobile': ['10', '2', '30'],
};

const BY_PREFIX = new Map<string, TajikOperator>(
  Object.entries(TAJIK_OPERATOR_PREFIXES).flatMap(([operator, prefixes]) => prefixes.map((p) => [p, operator as TajikOperator])),
);

/** The operator of a +992 number in E.164 (`+992935551122` → tcell); undefined for any other number. */
export function tajikOperatorOf(e164: string): TajikOperator | undefined {
  const match = /^\+992(\d{9})$/.exec(e164);
  if (!match) return undefined;
  const national = match[1]!;
  // The longest prefix wins (ZET-Mobile's 44x beside nobody's 44).
  for (let length = 3; length >= 1; length--) {
    const operator = BY_PREFIX.get(national.slice(0, length));
    if (operator) return operator;
  }
  return undefined;
}
