/**
 * The mobile operators of Tajikistan, Uzbekistan and Kyrgyzstan and the prefixes of their numbers: the one table
 * the hotline routes Kannel's SMPP binds by (one bind per operator). The prefixes are those of libphonenumber's
 * carrier maps (resources/carrier/en/992.txt, 998.txt, 996.txt, Apache-2.0), as digits after the country code.
 * In Tajikistan numbers move between operators only by porting, which it does not offer, so a prefix names the
 * network. Whether Uzbekistan and Kyrgyzstan port numbers is to be verified: if they do, a prefix there is only the
 * likely network, and its bind must accept the others' numbers too (docs/kannel.md).
 */
export const MOBILE_OPERATORS = [
  // Tajikistan (+992)
  'tcell', 'megafon', 'zet-mobile', 'babilon-m', 'o-mobile',
  // Uzbekistan (+998)
  'beeline-uz', 'ucell', 'mobiuz', 'uzmobile', 'perfectum', 'humans',
  // Kyrgyzstan (+996)
  'beeline-kg', 'megacom', 'o-kg',
] as const;
export type MobileOperator = (typeof MOBILE_OPERATORS)[number];

export function isMobileOperator(value: string): value is MobileOperator {
  return (MOBILE_OPERATORS as readonly string[]).includes(value);
}

/** Each country's calling code, national number length, and national-number prefixes of each operator. */
export const OPERATOR_PREFIXES: readonly {
  code: string;
  digits: number;
  prefixes: Partial<Record<MobileOperator, readonly string[]>>;
}[] = [
  {
    code: '+992',
    digits: 9,
    prefixes: {
      tcell: ['11', '50', '70', '77', '92', '93', '99'],
      megafon: ['00', '01', '02', '07', '41', '55', '78', '87', '88', '90', '97'],
      'zet-mobile': ['03', '04', '05', '08', '09', '40', '440', '442', '443', '444', '447', '449', '80', '81', '91'],
      'babilon-m': ['17', '71', '75', '94', '98'],
      'o-mobile': ['10', '2', '30'],
    },
  },
  {
    // Mobile ranges only: MobiUZ's many fixed-wireless blocks in the regional 6x/7x codes are left to the catch-all.
    code: '+998',
    digits: 9,
    prefixes: {
      'beeline-uz': ['2', '90', '91'],
      ucell: ['50', '93', '94'],
      mobiuz: ['70', '8', '97'],
      uzmobile: ['77', '95', '99'],
      perfectum: ['98'],
      humans: ['3'],
    },
  },
  {
    // Sky Mobile trades as Beeline, ALFA Telecom as MegaCom, Nur Telecom as O!; smaller and defunct networks (Aktel,
    // Katel, Winline, Sotel) are left to the catch-all.
    code: '+996',
    digits: 9,
    prefixes: {
      'beeline-kg': ['22', '77', '996', '999'],
      megacom: ['55', '75', '88', '990', '995', '997', '998'],
      'o-kg': ['50', '70'],
    },
  },
];

const BY_PREFIX = new Map<string, MobileOperator>(
  OPERATOR_PREFIXES.flatMap(({ code, prefixes }) =>
    Object.entries(prefixes).flatMap(([operator, list]) => list.map((p) => [`${code}${p}`, operator as MobileOperator] as const)),
  ),
);

/** The operator of a number in E.164 (`+992935551122` → tcell, `+998935551122` → ucell); undefined for any other. */
export function mobileOperatorOf(e164: string): MobileOperator | undefined {
  const country = OPERATOR_PREFIXES.find(({ code, digits }) => e164.startsWith(code) && e164.length === code.length + digits);
  if (!country || !/^\+\d+$/.test(e164)) return undefined;
  // The longest prefix wins (ZET-Mobile's 44x beside nobody's 44).
  for (let length = country.code.length + 3; length > country.code.length; length--) {
    const operator = BY_PREFIX.get(e164.slice(0, length));
    if (operator) return operator;
  }
  return undefined;
}
