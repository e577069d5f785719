import {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  createRedactor,
  Redactor,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { NextFunction, Request, Response } from 'express';
import { DatadogEcsConfig } from './config/config';

export type { Redactor };

/**
 * The plugin's redactor: the name rules of `-common`'s `createRedactor`, plus every API key the
 * config holds in plaintext, wherever it appears.
 */
export function redactorForConfig(config: Pick<DatadogEcsConfig, 'rollout'>): Redactor {
  const known: string[] = [];
  for (const key of config.rollout.apiKeys.values()) {
    if (key.source === 'plaintext') known.push(key.plaintextApiKey);
  }
  return createRedactor(known);
}

/** An error whose message (and cause's) went through the redactor; name and other fields kept. */
export function redactError(redactor: Redactor, error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactor.text(String(error)));
  const message = redactor.text(error.message);
  if (message === error.message) return error;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error)), error) as Error;
  Object.defineProperty(copy, 'message', { value: message, enumerable: false, writable: true });
  Object.defineProperty(copy, 'stack', {
    value: redactor.text(error.stack ?? ''),
    enumerable: false,
    writable: true,
  });
  return copy;
}

/** A logger whose messages, meta and errors go through the redactor first. */
export function redactingLogger(logger: LoggerService, redactor: Redactor): LoggerService {
  const meta = (m?: Error | Record<string, unknown>) => {
    if (m === undefined) return undefined;
    if (m instanceof Error) return redactError(redactor, m);
    return redactor.value(m);
  };
  return {
    error: (message, m) => logger.error(redactor.text(message), meta(m as any) as any),
    warn: (message, m) => logger.warn(redactor.text(message), meta(m as any) as any),
    info: (message, m) => logger.info(redactor.text(message), meta(m as any) as any),
    debug: (message, m) => logger.debug(redactor.text(message), meta(m as any) as any),
    child: m => redactingLogger(logger.child(redactor.value(m)), redactor),
  };
}

/** An auditor whose event meta and errors go through the redactor first. */
export function redactingAuditor(auditor: AuditorService, redactor: Redactor): AuditorService {
  return {
    async createEvent(options) {
      const event = await auditor.createEvent({
        ...options,
        ...(options.meta ? { meta: redactor.value(options.meta) } : {}),
      });
      return {
        success: o => event.success(o?.meta ? { meta: redactor.value(o.meta) } : o),
        fail: o =>
          event.fail({
            ...(o.meta ? { meta: redactor.value(o.meta) } : {}),
            error: redactError(redactor, o.error),
          }),
      };
    },
  };
}

/**
 * Express middleware: every JSON body this router's responses carry (results and the error
 * handler's bodies alike, since both go through `res.json`) is redacted first.
 */
export function redactResponses(redactor: Redactor) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const json = res.json.bind(res);
    res.json = (body?: unknown) => json(redactor.value(body));
    next();
  };
}
