import { SaxesParser } from 'saxes';

/**
 * The first well-formedness error of `xml` under XML 1.0 as saxes reads it (strict: a control character, U+FFFE,
 * U+FFFF or a lone surrogate is an error, where fast-xml-parser's validator lets them pass), or undefined.
 */
export function strictXmlError(xml: string): string | undefined {
  const parser = new SaxesParser();
  let error: string | undefined;
  parser.on('error', (failure) => {
    error ??= failure.message;
  });
  parser.write(xml).close();
  return error;
}
