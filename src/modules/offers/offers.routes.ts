import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import type { Authenticator } from '../auth/authenticator.js';
import { CleaningIdParams } from '../cleanings/cleanings.schemas.js';
import { Detail } from '../users/users.schemas.js';
import { Offer, OfferList, OfferParams, OfferUpdateBody, RescindedId } from './offers.schemas.js';
import type { OffersService } from './offers.service.js';

const errors = { 401: Detail, 403: Detail, 404: Detail, 422: Detail };

export const offersRoutes: FastifyPluginAsyncTypebox<{ offers: OffersService; authenticator: Authenticator }> = async (
  app,
  { offers, authenticator },
) => {
  app.addHook('onRequest', requireUser(authenticator));
  const common = { tags: ['offers'], security: bearerSecurity };

  app.post(
    '/cleanings/:cleaning_id/offers',
    {
      schema: {
        operationId: 'createOffer',
        ...common,
        summary: "Offer to do a cleaning job (not one's own; once per job)",
        params: CleaningIdParams,
        response: { 201: Offer, 400: Detail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await offers.create(callerOf(request), request.params.cleaning_id)),
  );

  app.get(
    '/cleanings/:cleaning_id/offers',
    { schema: { operationId: 'listOffers', ...common, summary: "Every offer on a job (the job's owner only)", params: CleaningIdParams, response: { 200: OfferList, ...errors } } },
    async (request) => offers.list(callerOf(request), request.params.cleaning_id),
  );

  app.get(
    '/cleanings/:cleaning_id/offers/:username',
    { schema: { operationId: 'getOffer', ...common, summary: "One user's offer (the job's owner or the offer's maker)", params: OfferParams, response: { 200: Offer, ...errors } } },
    async (request) => offers.get(callerOf(request), request.params.cleaning_id, request.params.username),
  );

  app.put(
    '/cleanings/:cleaning_id/offers',
    {
      schema: {
        operationId: 'cancelMyOffer',
        ...common,
        summary: "Cancel the caller's own accepted offer (phresh's call; reopens the rejected offers)",
        params: CleaningIdParams,
        response: { 200: Offer, 400: Detail, ...errors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return offers.cancel(caller, request.params.cleaning_id, caller.username);
    },
  );

  app.delete(
    '/cleanings/:cleaning_id/offers',
    {
      schema: {
        operationId: 'rescindMyOffer',
        ...common,
        summary: "Rescind (delete) the caller's own pending offer (phresh's call); answers the job's id",
        params: CleaningIdParams,
        response: { 200: RescindedId, 400: Detail, ...errors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      await offers.rescind(caller, request.params.cleaning_id, caller.username);
      return request.params.cleaning_id;
    },
  );

  app.put(
    '/cleanings/:cleaning_id/offers/:username',
    {
      // Phresh's client accepts with no body at all; Fastify validates a body only when there is one to validate.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        operationId: 'acceptOffer',
        ...common,
        summary: 'Accept a pending offer (owner; rejects the other pending ones), or cancel an accepted one (maker; reopens the others)',
        description: 'Without a body (as phresh calls it) this accepts the offer. `{"offer_update": {"status": ...}}` chooses.',
        'x-optional-body': true,
        params: OfferParams,
        body: OfferUpdateBody,
        response: { 200: Offer, 400: Detail, ...errors },
      },
    },
    async (request) => {
      const { cleaning_id, username } = request.params;
      const caller = callerOf(request);
      return (request.body.offer_update?.status ?? 'accepted') === 'accepted'
        ? offers.accept(caller, cleaning_id, username)
        : offers.cancel(caller, cleaning_id, username);
    },
  );

  app.delete(
    '/cleanings/:cleaning_id/offers/:username',
    {
      schema: {
        operationId: 'rescindOffer',
        ...common,
        summary: "Rescind (delete) a pending offer (its maker only); answers the job's id",
        params: OfferParams,
        response: { 200: RescindedId, 400: Detail, ...errors },
      },
    },
    async (request) => {
      await offers.rescind(callerOf(request), request.params.cleaning_id, request.params.username);
      return request.params.cleaning_id;
    },
  );
};
