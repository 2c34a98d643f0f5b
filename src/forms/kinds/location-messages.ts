/** The texts of the location and earlier-case field kinds (ADR 0020), in both languages. */
import { defineMessages } from '../../kernel/i18n/index.ts';

export const locationMessages = defineMessages({
  'forms.location.address': { sv: 'Adress eller plats', en: 'Address or place' },
  'forms.location.addressHint': { sv: 'Till exempel Storgatan 12 eller Stadsparken.', en: 'For example Storgatan 12 or the town park.' },
  'forms.location.description': { sv: 'Beskriv platsen (frivilligt)', en: 'Describe the place (optional)' },
  'forms.location.descriptionHint': { sv: 'Till exempel utanför nummer 12, vid busshållplatsen.', en: 'For example outside number 12, by the bus stop.' },
  'forms.location.coordinates': { sv: 'Koordinater', en: 'Coordinates' },
  'forms.location.coordinatesHint': {
    sv: 'Frivilligt. Om du har platsens koordinater, till exempel från kartappen i din telefon: latitud och longitud i decimalgrader (WGS 84), som 62,3908 och 17,3069.',
    en: 'Optional. If you have the coordinates of the place, for example from the map app on your phone: latitude and longitude in decimal degrees (WGS 84), like 62.3908 and 17.3069.',
  },
  'forms.location.lat': { sv: 'Latitud', en: 'Latitude' },
  'forms.location.lng': { sv: 'Longitud', en: 'Longitude' },
  'forms.location.mapLabel': {
    sv: 'Karta. Klicka eller dra markören för att peka ut platsen; koordinaterna fylls i nedanför.',
    en: 'Map. Click or drag the marker to point to the place; the coordinates are filled in below.',
  },
  'forms.location.mapMarker': { sv: 'Platsen du pekat ut', en: 'The place you pointed to' },
  'forms.error.location.missing': { sv: 'Skriv en adress eller beskriv platsen', en: 'Enter an address or describe the place' },
  'forms.error.location.tooLong': { sv: 'Texten är för lång, högst {max} tecken', en: 'The text is too long, at most {max} characters' },
  'forms.error.location.latMissing': { sv: 'Fyll i latitud, eller ta bort longituden', en: 'Enter the latitude, or remove the longitude' },
  'forms.error.location.lngMissing': { sv: 'Fyll i longitud, eller ta bort latituden', en: 'Enter the longitude, or remove the latitude' },
  'forms.error.location.lat': { sv: 'Latitud ska vara ett tal i decimalgrader, till exempel 62,3908', en: 'The latitude must be a number in decimal degrees, like 62.3908' },
  'forms.error.location.lng': { sv: 'Longitud ska vara ett tal i decimalgrader, till exempel 17,3069', en: 'The longitude must be a number in decimal degrees, like 17.3069' },
  'forms.error.location.outside': {
    sv: 'Platsen ligger utanför kommunen. Kontrollera koordinaterna, eller ta bort dem och skriv en adress.',
    en: 'The place is outside the municipality. Check the coordinates, or remove them and enter an address.',
  },
  'forms.caseReference.none': {
    sv: 'Du har inget ärende som den här ändringen kan gälla.',
    en: 'You have no case this change can be about.',
  },
  'forms.caseReference.option': { sv: '{reference}, {service}, {date}', en: '{reference}, {service}, {date}' },
  'forms.error.caseReference': { sv: 'Välj ett av dina ärenden i listan', en: 'Select one of your cases from the list' },
  'forms.error.caseReference.choose': { sv: 'Välj {label}', en: 'Select {label}' },
});
