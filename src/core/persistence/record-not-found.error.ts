/** A repository was asked to change a record that does not exist. */
export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'RecordNotFoundError';
  }
}
