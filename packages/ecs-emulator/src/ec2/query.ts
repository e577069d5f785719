// The EC2 Query protocol: form-encoded parameters in, XML out.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html

/** The request's parameters: `Action`, `Version`, `ImageId.1`, `Filter.1.Value.2`, … */
export type QueryParams = Map<string, string>;

/** Parses `application/x-www-form-urlencoded` parameters (the body, or a GET query string). */
export function parseQuery(...sources: string[]): QueryParams {
  const out: QueryParams = new Map();
  for (const source of sources) {
    for (const [k, v] of new URLSearchParams(source)) out.set(k, v);
  }
  return out;
}

/** `Prefix.1`, `Prefix.2`, … in index order (indexes need not be contiguous). */
export function queryList(params: QueryParams, prefix: string): string[] {
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
  const items: Array<[number, string]> = [];
  for (const [k, v] of params) {
    const m = re.exec(k);
    if (m) items.push([Number(m[1]), v]);
  }
  return items.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export interface QueryFilter {
  name: string;
  values: string[];
}

/** `Filter.N.Name` with its `Filter.N.Value.M`. */
export function queryFilters(params: QueryParams): QueryFilter[] {
  const indexes = new Set<number>();
  for (const k of params.keys()) {
    const m = /^Filter\.(\d+)\./.exec(k);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map(i => ({
      name: params.get(`Filter.${i}.Name`) ?? '',
      values: queryList(params, `Filter.${i}.Value`),
    }));
}

/** A value the XML serializer writes: text, a nested element, or a list of `<item>`s. */
export type XmlValue =
  | string
  | number
  | boolean
  | undefined
  | XmlValue[]
  | { [name: string]: XmlValue };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, c => ESCAPES[c]);
}

/** `<name>…</name>`; lists become `<name><item>…</item>…</name>` as EC2 writes them; undefined is left out. */
export function xmlElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value
      .map(v => xmlElement('item', v))
      .join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => xmlElement(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export const EC2_API_VERSION = '2016-11-15';
const EC2_XMLNS = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;

/** `<?xml …?><ActionResponse xmlns="…"><requestId>…</requestId>…</ActionResponse>`. */
export function xmlResponse(
  action: string,
  requestId: string,
  body: Record<string, XmlValue>,
): string {
  const inner = Object.entries({ requestId, ...body })
    .map(([k, v]) => xmlElement(k, v))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${inner}</${action}Response>`;
}

/** EC2's error document: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`. */
export function xmlError(
  code: string,
  message: string,
  requestId: string,
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(
    code,
  )}</Code><Message>${escapeXml(
    message,
  )}</Message></Error></Errors><RequestID>${escapeXml(
    requestId,
  )}</RequestID></Response>`;
}
