// @types/ltijs describes v4; these are the parts of ltijs 5.9.9 we use.
declare module 'ltijs' {
  import type { Express, NextFunction, Request, Response } from 'express';

  export interface ProviderOptions {
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    dynRegRoute?: string;
    cors?: boolean;
    ltiaas?: boolean;
    devMode?: boolean;
    tokenMaxAge?: number | false;
    cookies?: { secure?: boolean; sameSite?: string; domain?: string };
    serverAddon?: (app: Express) => void;
  }

  export interface DatabaseOptions {
    url: string;
    connection?: Record<string, unknown>;
    debug?: boolean;
  }

  export type LaunchCallback = (token: unknown, req: Request, res: Response, next: NextFunction) => unknown;

  export interface PlatformInstance {
    platformKid(): Promise<string>;
    /** PEM (PKCS#1 or PKCS#8 RSA private key), decrypted. */
    platformPrivateKey(): Promise<string | false>;
  }

  export interface ProviderInstance {
    app: Express;
    setup(encryptionKey: string, database: DatabaseOptions, options?: ProviderOptions): ProviderInstance;
    deploy(options?: { serverless?: boolean; silent?: boolean }): Promise<true>;
    close(options?: { silent?: boolean }): Promise<true>;
    onConnect(callback: LaunchCallback): true;
    whitelist(...routes: string[]): string[];
    registerPlatform(platform: {
      url: string;
      clientId: string;
      name: string;
      authenticationEndpoint: string;
      accesstokenEndpoint: string;
      authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
    }): Promise<unknown>;
    deletePlatform(url: string, clientId: string): Promise<true>;
    /** The registered platform (false when none): its tool key pair is read through it. */
    getPlatform(url: string, clientId: string): Promise<PlatformInstance | false>;
    DeepLinking: {
      createDeepLinkingMessage(
        idtoken: unknown,
        contentItems: unknown[],
        options?: { message?: string },
      ): Promise<string>;
    };
    NamesAndRoles: {
      getMembers(
        idtoken: unknown,
        options?: { pages?: number | false; limit?: number; role?: string; resourceLinkId?: boolean; url?: string },
      ): Promise<{ members?: unknown[]; next?: string }>;
    };
  }

  const ltijs: { Provider: ProviderInstance };
  export default ltijs;
}
