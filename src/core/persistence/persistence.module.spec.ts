import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../crypto/secret-cipher';
import { PersistenceModule } from './persistence.module';
import {
  AccountStateRepository,
  ChannelAccountRepository,
  ChannelRegistrationRepository,
  ConversationRepository,
  InstallRepository,
  MessageRepository,
  ProcessedEventRepository,
} from './repositories';

const KEY_TOKEN = 'TEST_KEY';

@Module({ providers: [{ provide: KEY_TOKEN, useValue: randomBytes(32) }], exports: [KEY_TOKEN] })
class KeyModule {}

describe(PersistenceModule.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-module-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('forRoot connects, runs the migrations and provides the cipher and every repository', async () => {
    const key = randomBytes(32);
    const moduleRef = await Test.createTestingModule({
      imports: [
        PersistenceModule.forRoot({
          databaseUrl: `sqlite:${join(dir, 'gateway.sqlite')}`,
          encryptionKey: key,
          retryAttempts: 0,
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const dataSource = app.get(DataSource);
      expect(await dataSource.showMigrations()).toBe(false);
      expect(app.get(SecretCipher).keyId).toBe(SecretCipher.keyIdOf(key));
      for (const repository of [
        InstallRepository,
        ChannelRegistrationRepository,
        ChannelAccountRepository,
        AccountStateRepository,
        ConversationRepository,
        MessageRepository,
        ProcessedEventRepository,
      ]) {
        expect(app.get(repository)).toBeInstanceOf(repository);
      }
      const account = await app
        .get(ChannelAccountRepository)
        .create({ adapterId: 'echo', name: 'Echo', credentials: { token: 't' } });
      expect(await app.get(ChannelAccountRepository).findById(account.id)).toEqual(account);
    } finally {
      await app.close();
    }
  });

  it('forRootAsync takes its options from injected providers, resolved once', async () => {
    const factory = jest.fn((key: Buffer) => ({
      databaseUrl: `sqlite:${join(dir, 'async.sqlite')}`,
      encryptionKey: key,
      retryAttempts: 0,
    }));
    const moduleRef = await Test.createTestingModule({
      imports: [
        PersistenceModule.forRootAsync({
          imports: [KeyModule],
          inject: [KEY_TOKEN],
          useFactory: factory as (...args: never[]) => ReturnType<typeof factory>,
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      expect(factory).toHaveBeenCalledTimes(1);
      const installs = app.get(InstallRepository);
      await installs.upsertTokens('1', {
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: new Date(),
        scopes: [],
      });
      expect((await installs.findByPortal('1'))?.accessToken).toBe('a');
    } finally {
      await app.close();
    }
  });
});
