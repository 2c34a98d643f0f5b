/**
 * The queue engine (ADR 0043): an application of a service with a `queue` section stands in one
 * queue per choice, ordered by the definition's rules (priority groups, queue date, distance, then
 * arrival or a lottery), and sees its place in each — "nummer 37 av 212" — worked out when read.
 * It names no service: the definition says what is chosen and how the queue is ordered.
 */
export { queueCompanion, changeChoices, queued, type QueueService } from './places.ts';
export { queueCaseExtension, queuesHomeSection, queuesPlugin } from './routes.tsx';
export { placesFor, choicesOf, distanceM, dayNumber, WHOLE_SERVICE, type QueuePlace } from './order.ts';
export { compactQueueCounts, joinStatement, placesOfCase, type PlaceRow } from './queues.repository.ts';
export { lapseUnrenewed, remindRenewals, renewalOf, renewing, type RenewalService } from './renewals.ts';
export { answerOffer, offerNext, openVacancies, runOffers, offering, OfferClosedError, PlacesFullError, type OfferService } from './offers.ts';
