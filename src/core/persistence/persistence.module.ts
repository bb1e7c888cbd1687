import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../crypto/secret-cipher';
import { buildDataSourceOptions, type DatabaseOptionsOverrides } from './database-options';
import { AccountStateRepository } from './repositories/account-state.repository';
import { ChannelAccountRepository } from './repositories/channel-account.repository';
import { ChannelRegistrationRepository } from './repositories/channel-registration.repository';
import { ConversationRepository } from './repositories/conversation.repository';
import { InstallRepository } from './repositories/install.repository';
import { MessageRepository } from './repositories/message.repository';
import { ProcessedEventRepository } from './repositories/processed-event.repository';

export interface PersistenceModuleOptions extends DatabaseOptionsOverrides {
  /** DATABASE_URL: `sqlite:<path>`, `sqlite::memory:` or `postgres://...`. */
  databaseUrl: string;
  /** 32-byte key from `loadOrCreateEncryptionKey`. */
  encryptionKey: Buffer;
  /** Connection attempts at boot before giving up (default 3, 2 s apart). */
  retryAttempts?: number;
}

export interface PersistenceModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  /** Called once; its result is shared by the database connection and the cipher. */
  useFactory: (...args: never[]) => PersistenceModuleOptions | Promise<PersistenceModuleOptions>;
}

export const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');

const REPOSITORIES_WITH_CIPHER = [
  InstallRepository,
  ChannelAccountRepository,
  AccountStateRepository,
] as const;
const REPOSITORIES = [
  ChannelRegistrationRepository,
  ConversationRepository,
  MessageRepository,
  ProcessedEventRepository,
] as const;

const exported = [SecretCipher, ...REPOSITORIES_WITH_CIPHER, ...REPOSITORIES];

const providers: Provider[] = [
  {
    provide: SecretCipher,
    inject: [PERSISTENCE_OPTIONS],
    useFactory: (options: PersistenceModuleOptions) => new SecretCipher(options.encryptionKey),
  },
  ...REPOSITORIES_WITH_CIPHER.map((repository): Provider => ({
    provide: repository,
    inject: [DataSource, SecretCipher],
    useFactory: (dataSource: DataSource, cipher: SecretCipher) =>
      new repository(dataSource, cipher),
  })),
  ...REPOSITORIES.map((repository): Provider => ({
    provide: repository,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new repository(dataSource),
  })),
];

function typeOrmOptions(options: PersistenceModuleOptions): TypeOrmModuleOptions {
  return {
    ...buildDataSourceOptions(options.databaseUrl, { logging: options.logging }),
    retryAttempts: options.retryAttempts ?? 3,
    retryDelay: 2000,
  };
}

/**
 * The gateway's database (migrations run when it connects, at start-up), the secret cipher and
 * every repository, all exported globally. Repositories stay plain classes: tests build them
 * with `createRepositories(dataSource, cipher)` and no Nest.
 */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [TypeOrmModule.forRoot(typeOrmOptions(options))],
      providers: [{ provide: PERSISTENCE_OPTIONS, useValue: options }, ...providers],
      exports: [TypeOrmModule, ...exported],
    };
  }

  /** For options that depend on other providers (configuration, the loaded encryption key). */
  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    let resolved: Promise<PersistenceModuleOptions> | undefined;
    // Nest hands the injected providers in `inject` order; the user's factory declares their types.
    const once = (...args: unknown[]): Promise<PersistenceModuleOptions> =>
      (resolved ??= Promise.resolve(options.useFactory(...(args as never[]))));
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        ...(options.imports ?? []),
        TypeOrmModule.forRootAsync({
          imports: options.imports,
          inject: options.inject,
          useFactory: async (...args: unknown[]) => typeOrmOptions(await once(...args)),
        }),
      ],
      providers: [
        { provide: PERSISTENCE_OPTIONS, inject: options.inject ?? [], useFactory: once },
        ...providers,
      ],
      exports: [TypeOrmModule, ...exported],
    };
  }
}
