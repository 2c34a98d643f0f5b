/**
 * A place: an address or a description in words ("outside no. 12, by the bus stop"), and/or
 * coordinates. The words are always asked and always enough, so the field works without
 * JavaScript, without a map and for someone who cannot use one; coordinates are a second way
 * to say the same thing, typed or (when a map tile server is configured) set by the map that
 * location-map.js draws over the inputs. Stored as
 * { address, description, lat?, lng? } — WGS 84 decimal degrees as JSON numbers, only when given.
 * `bounds` (the municipality's area) refuses coordinates outside it.
 */
import type { LocationField } from '../../catalogue/types.ts';
import { Textarea, TextField } from '../../kernel/html/components.tsx';
import type { AnswerValue } from '../conditions.ts';
import { Fieldset, isRecord, part, partOf } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';
import './location-messages.ts';

const MAX = { address: 200, description: 1000 } as const;
const COORDS = ['lat', 'lng'] as const;

/** "59,3293" or "59.3293" → 59.3293; undefined unless a finite decimal number. */
export function parseDegrees(v: AnswerValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/\s/g, '').replace(',', '.').replace(/^−/, '-');
  if (!/^-?\d{1,3}(?:\.\d{1,8})?$/.test(s)) return undefined;
  return Number(s);
}

const coord = (v: AnswerValue | undefined, k: string): AnswerValue | undefined => (isRecord(v) ? v[k] : undefined);
const blankPart = (v: AnswerValue | undefined) => v === undefined || v === '';

/** Whether the point is inside the definition's bounds (no bounds: anywhere on earth). */
export function insideBounds(field: LocationField, lat: number, lng: number): boolean {
  const b = field.bounds;
  if (!b) return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
  return lat >= b.south && lat <= b.north && lng >= b.west && lng <= b.east;
}

/** Degrees as people in the language write them: a decimal comma in Swedish. */
const degrees = (n: number, sv: boolean) => (sv ? String(n).replace('.', ',') : String(n));

export const locationKind: FieldKind<LocationField> = {
  kind: 'location',
  options: {
    properties: {
      bounds: {
        type: 'object',
        required: ['south', 'west', 'north', 'east'],
        additionalProperties: false,
        properties: {
          south: { type: 'number', minimum: -90, maximum: 90 },
          west: { type: 'number', minimum: -180, maximum: 180 },
          north: { type: 'number', minimum: -90, maximum: 90 },
          east: { type: 'number', minimum: -180, maximum: 180 },
        },
      },
    },
  },
  read: (_f, body, name) => ({
    address: part(body, `${name}.address`),
    description: part(body, `${name}.description`),
    lat: part(body, `${name}.lat`),
    lng: part(body, `${name}.lng`),
  }),
  isStorable: (_f, v) =>
    isRecord(v) &&
    (['address', 'description'] as const).every((k) => typeof v[k] === 'string' && v[k] !== '#invalid') &&
    COORDS.every((k) => v[k] === undefined || typeof v[k] === 'number' || (typeof v[k] === 'string' && v[k] !== '#invalid')),
  normalise(_f, v) {
    // Coordinates are stored as numbers when they read as numbers; what does not read stays as typed, next to its error.
    const out: Record<string, AnswerValue> = { address: partOf(v, 'address'), description: partOf(v, 'description') };
    for (const k of COORDS) {
      const raw = coord(v, k);
      if (blankPart(raw)) continue;
      out[k] = parseDegrees(raw) ?? raw!;
    }
    return out;
  },
  isBlank: (_f, v) => !isRecord(v) || (partOf(v, 'address') === '' && partOf(v, 'description') === '' && COORDS.every((k) => blankPart(coord(v, k)))),
  shape: () => ({
    type: 'object',
    required: ['address', 'description'],
    additionalProperties: false,
    properties: {
      address: { type: 'string', maxLength: MAX.address },
      description: { type: 'string', maxLength: MAX.description },
      lat: { type: ['number', 'string'] },
      lng: { type: ['number', 'string'] },
    },
  }),
  blank: () => ({ key: 'forms.error.location.missing' }),
  rules(field, value, ctx): FieldProblem | undefined {
    // The address is the first input and carries the field's own id.
    const at = (k: string) => (k === 'address' ? {} : { at: `${ctx.name}.${k}` });
    for (const k of ['address', 'description'] as const) {
      if (partOf(value, k).length > MAX[k]) return { field: ctx.name, ...at(k), key: 'forms.error.location.tooLong', vars: { max: MAX[k] } };
    }
    const [lat, lng] = COORDS.map((k) => coord(value, k));
    if (blankPart(lat) && blankPart(lng)) return undefined;
    // One coordinate without the other is no place: say which is missing.
    if (blankPart(lat)) return { field: ctx.name, at: `${ctx.name}.lat`, key: 'forms.error.location.latMissing' };
    if (blankPart(lng)) return { field: ctx.name, at: `${ctx.name}.lng`, key: 'forms.error.location.lngMissing' };
    const la = parseDegrees(lat);
    if (la === undefined || la < -90 || la > 90) return { field: ctx.name, at: `${ctx.name}.lat`, key: 'forms.error.location.lat' };
    const ln = parseDegrees(lng);
    if (ln === undefined || ln < -180 || ln > 180) return { field: ctx.name, at: `${ctx.name}.lng`, key: 'forms.error.location.lng' };
    if (!insideBounds(field, la, ln)) return { field: ctx.name, at: `${ctx.name}.lat`, key: 'forms.error.location.outside' };
    return undefined;
  },
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const own = (k: string) => ctx.errorAt(`${name}.${k}`);
    const b = field.bounds;
    return (
      <Fieldset id={`${id}-group`} legend={label} single={single} hint={hint} error={undefined}>
        <TextField id={id} name={`${name}.address`} label={ctx.t('forms.location.address')} hint={ctx.t('forms.location.addressHint')} error={error} value={partOf(value, 'address')} autocomplete="street-address" maxLength={MAX.address} />
        <Textarea id={`${id}-description`} name={`${name}.description`} label={ctx.t('forms.location.description')} hint={ctx.t('forms.location.descriptionHint')} error={own('description')} value={partOf(value, 'description')} rows={3} maxLength={MAX.description} />
        {/* location-map.js puts the map here when a tile server is configured; it sets the two inputs below. */}
        {ctx.map && (
          <>
            {/* Only on a page with a map: Leaflet's stylesheet and scripts, from our own origin (CSP 'self'). */}
            <link rel="stylesheet" href={ctx.map.leafletCss} />
            <script src={ctx.map.leafletJs} defer />
            <script src={ctx.map.script} defer />
            <div
              class="mb-location-map"
              role="region"
              aria-label={ctx.t('forms.location.mapLabel')}
              data-location-map={name}
              data-tiles={ctx.map.tileUrl}
              data-attribution={ctx.map.attribution}
              data-bounds={b ? [b.south, b.west, b.north, b.east].join(',') : undefined}
              data-label={ctx.t('forms.location.mapMarker')}
              hidden
            />
          </>
        )}
        <fieldset class="ds-fieldset mb-field mb-location-coordinates" aria-describedby={`${id}-coordinates-hint`}>
          <legend class="ds-label">{ctx.t('forms.location.coordinates')}</legend>
          <p data-field="description" class="mb-hint" id={`${id}-coordinates-hint`}>
            {ctx.t('forms.location.coordinatesHint')}
          </p>
          <TextField id={`${id}-lat`} name={`${name}.lat`} label={ctx.t('forms.location.lat')} error={own('lat')} value={partOf(value, 'lat')} inputMode="text" width="medium" />
          <TextField id={`${id}-lng`} name={`${name}.lng`} label={ctx.t('forms.location.lng')} error={own('lng')} value={partOf(value, 'lng')} inputMode="text" width="medium" />
        </fieldset>
      </Fieldset>
    );
  },
  display(_f, v, ctx) {
    const sv = ctx.locale === 'sv';
    const [lat, lng] = COORDS.map((k) => parseDegrees(coord(v, k)));
    const point = lat !== undefined && lng !== undefined ? `${ctx.t('forms.location.coordinates')}: ${degrees(lat, sv)}, ${degrees(lng, sv)}` : '';
    return [partOf(v, 'address'), partOf(v, 'description'), point].filter(Boolean).join('\n');
  },
  exampleValid: (field) => {
    const b = field.bounds;
    const lat = b ? ((b.south + b.north) / 2).toFixed(5) : '59.33';
    const lng = b ? ((b.west + b.east) / 2).toFixed(5) : '18.06';
    return { [`${field.id}.address`]: 'Storgatan 12', [`${field.id}.description`]: 'Vid busshållplatsen', [`${field.id}.lat`]: lat, [`${field.id}.lng`]: lng };
  },
  exampleInvalid: (field) => ({
    form: { [`${field.id}.address`]: '', [`${field.id}.description`]: '', [`${field.id}.lat`]: field.bounds ? String(field.bounds.north + 1) : '91', [`${field.id}.lng`]: field.bounds ? String(field.bounds.east) : '18' },
    key: field.bounds ? 'forms.error.location.outside' : 'forms.error.location.lat',
  }),
};
