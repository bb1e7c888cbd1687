/**
 * Type helpers that read request and response types out of the generated OpenAPI `paths`
 * interfaces, so every API file derives its types from HubSpot's documents instead of copying them.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The operation object of `Paths[Path][Method]`. */
export type Operation<
  Paths,
  Path extends keyof Paths,
  Method extends HttpMethod,
> = Paths[Path] extends { [M in Method]: infer Op } ? Op : never;

/** The query parameters of an operation (all optional in HubSpot's documents). */
export type QueryOf<Op> = Op extends { parameters: { query?: infer Q } }
  ? Exclude<Q, undefined>
  : never;

/** The JSON request body of an operation. */
export type JsonBodyOf<Op> = Op extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** The JSON body of the operation's response with the given status. */
export type JsonResponseOf<Op, Status extends number> = Op extends {
  responses: { [S in Status]: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

/** `{channelId}` and `{messageId}` out of `/a/{channelId}/b/{messageId}`. */
export type PathParamNames<Template extends string> =
  Template extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never;

export type PathParams<Template extends string> = Record<PathParamNames<Template>, string | number>;
