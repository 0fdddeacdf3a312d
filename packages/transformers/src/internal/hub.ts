// Where a model's files come from, as huggingface_hub's hf_hub_download: a local folder, the shared HF cache, or the Hub.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Options shared by every `fromPretrained`: where to look and how. */
export interface HubOptions {
  /** Branch, tag or commit (default "main"). */
  revision?: string;
  /** The cache folder (default `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`). */
  cacheDir?: string;
  /** Never reach the network (also `HF_HUB_OFFLINE=1`). */
  localFilesOnly?: boolean;
  /** Access token (default `$HF_TOKEN`). */
  token?: string;
  /** Hub address (default `$HF_ENDPOINT`, else https://huggingface.co). */
  endpoint?: string;
}

/** A file that could not be found where it was looked for; says where and what to do. */
export class HubFileNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HubFileNotFoundError";
  }
}

const COMMIT_RE = /^[0-9a-f]{40}$/;
const truthy = (v: string | undefined) => !!v && ["1", "on", "yes", "true"].includes(v.toLowerCase());

/** The Hub cache folder Python's huggingface_hub uses, so models it downloaded load offline. @example hubCacheDir() */
export function hubCacheDir(opts: { cacheDir?: string } = {}): string {
  if (opts.cacheDir) return opts.cacheDir;
  if (process.env.HF_HUB_CACHE) return process.env.HF_HUB_CACHE;
  const home = process.env.HF_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "huggingface");
  return join(home, "hub");
}

/** Refuses repo-relative names that could leave their folder (`../`, absolute paths, backslashes, empty segments). */
export function safeRelativePath(name: string, what: string): string {
  if (typeof name !== "string" || name === "" || isAbsolute(name) || name.includes("\\") || name.includes("\0") || name.split("/").some((p) => p === ".." || p === "." || p === ""))
    throw new Error(`${what}: refusing the file name ${JSON.stringify(name)}: names must be relative paths inside the repository, without "..".`);
  return name;
}

function checkInside(root: string, path: string, what: string): void {
  const rel = relative(realpathSync(root), realpathSync(path));
  if (rel.startsWith("..") || isAbsolute(rel)) throw new Error(`${what}: ${path} resolves outside ${root} (a link pointing elsewhere); refusing it.`);
}

/** The cache folder of a repository: `models--org--name`. */
function repoFolder(cache: string, repoId: string): string {
  return join(cache, `models--${repoId.split("/").join("--")}`);
}

/** The snapshot folder of a cached revision, or null when the cache does not have it. */
function cachedSnapshot(cache: string, repoId: string, revision: string): string | null {
  const folder = repoFolder(cache, repoId);
  let commit = revision;
  if (!COMMIT_RE.test(revision)) {
    const ref = join(folder, "refs", revision);
    if (!existsSync(ref)) return null;
    commit = readFileSync(ref, "utf8").trim();
  }
  const snap = join(folder, "snapshots", commit);
  return existsSync(snap) ? snap : null;
}

/**
 * Where a model lives: a local folder, or a repository id resolved through the cache (and the Hub, when allowed).
 * The result resolves file names with `file(name)`.
 */
export interface ModelSource {
  /** A description for messages: the folder, or `repo@revision`. */
  readonly where: string;
  /** The local path of a file, downloading it into the cache when needed; null when the repository has no such file. */
  file(name: string): Promise<string | null>;
}

function isLocalPath(nameOrPath: string): boolean {
  return existsSync(nameOrPath) || nameOrPath.startsWith(".") || nameOrPath.startsWith("/") || nameOrPath.split("/").length > 2;
}

/**
 * Resolves `nameOrPath` as `from_pretrained` does: an existing folder, else a Hub repository id looked up in the
 * shared cache and then downloaded through `@huggingface/hub` into that cache (unless offline).
 * @example const src = openModelSource("bert-base-uncased", { localFilesOnly: true }); await src.file("config.json");
 */
export function openModelSource(nameOrPath: string, opts: HubOptions = {}): ModelSource {
  if (typeof nameOrPath !== "string" || nameOrPath === "") throw new TypeError(`fromPretrained: expected a folder or a Hub repository id, got ${JSON.stringify(nameOrPath)}.`);
  if (isLocalPath(nameOrPath)) {
    const dir = resolve(nameOrPath);
    if (!existsSync(dir)) throw new HubFileNotFoundError(`fromPretrained: ${dir} does not exist. Pass a folder with config.json, or a Hub repository id such as "org/name".`);
    if (!statSync(dir).isDirectory()) throw new HubFileNotFoundError(`fromPretrained: ${dir} is a file; pass the folder that holds config.json and the weights.`);
    return {
      where: dir,
      file: async (name) => {
        const p = join(dir, safeRelativePath(name, "fromPretrained"));
        if (!existsSync(p)) return null;
        checkInside(dir, p, "fromPretrained");
        return p;
      },
    };
  }
  const repoId = nameOrPath;
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(repoId) || repoId.includes(".."))
    throw new HubFileNotFoundError(`fromPretrained: ${JSON.stringify(repoId)} is neither an existing folder nor a valid Hub repository id ("org/name").`);
  const revision = opts.revision ?? "main";
  const cache = hubCacheDir(opts);
  const offline = opts.localFilesOnly || truthy(process.env.HF_HUB_OFFLINE);
  const where = `${repoId}@${revision}`;
  return {
    where,
    file: async (name) => {
      safeRelativePath(name, "fromPretrained");
      const snap = cachedSnapshot(cache, repoId, revision);
      if (snap) {
        const p = join(snap, name);
        if (existsSync(p)) {
          checkInside(repoFolder(cache, repoId), p, "fromPretrained");
          return p;
        }
        // A commit snapshot is immutable: a file it lacks after a full download is absent upstream too, unless online.
      }
      if (offline) {
        if (snap && existsSync(join(snap, ".no_exist", name))) return null;
        return snap ? null : Promise.reject(
          new HubFileNotFoundError(
            `fromPretrained: ${where} is not in the cache at ${cache} and downloads are off (${opts.localFilesOnly ? "localFilesOnly" : "HF_HUB_OFFLINE"}). ` +
              `Download it once online (or with Python's huggingface_hub), point HF_HUB_CACHE/HF_HOME at the cache that has it, or pass a local folder.`,
          ),
        );
      }
      return downloadToCache(repoId, name, revision, cache, opts);
    },
  };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

interface DownloadInfo {
  lfs?: { oid: string; size?: number };
  oid?: string;
  size?: number;
}

/**
 * Checks a downloaded file against what the Hub listed: an LFS file against its sha256 and size, a regular (git) file
 * against its git blob id (sha1 of "blob <size>\0" + bytes) and size. A body that ended early (a server that closed
 * the connection without an error) or corrupt bytes are removed from the cache, blob and link, and refused.
 */
async function verifyDownload(pointer: string, info: DownloadInfo | undefined, what: string): Promise<void> {
  if (!info) return;
  const size = statSync(pointer).size;
  let problem: string | null = null;
  const lfsOid = info.lfs?.oid;
  if (lfsOid && /^[0-9a-f]{64}$/.test(lfsOid)) {
    const got = await sha256File(pointer);
    if (got !== lfsOid) problem = `downloaded with sha256 ${got}, but the Hub lists ${lfsOid}`;
    else if (info.lfs?.size !== undefined && size !== info.lfs.size) problem = `downloaded ${size} bytes, but the Hub lists ${info.lfs.size}`;
  } else if (!info.lfs) {
    if (info.size !== undefined && size !== info.size) problem = `downloaded ${size} bytes, but the Hub lists ${info.size} (the download ended early)`;
    else if (info.oid && /^[0-9a-f]{40}$/.test(info.oid)) {
      const h = createHash("sha1").update(`blob ${size}\0`);
      for await (const chunk of createReadStream(pointer)) h.update(chunk as Buffer);
      const got = h.digest("hex");
      if (got !== info.oid) problem = `downloaded with git blob id ${got}, but the Hub lists ${info.oid}`;
    }
  }
  if (problem === null) return;
  // Drop the bad blob and its link so the cache never serves it and a retry downloads it again.
  const blob = realpathSync(pointer);
  rmSync(pointer, { force: true });
  rmSync(blob, { force: true });
  throw new Error(`fromPretrained: ${what} ${problem}; the file was not kept; retry the download.`);
}

async function downloadToCache(repoId: string, name: string, revision: string, cache: string, opts: HubOptions): Promise<string | null> {
  const hub = await import("@huggingface/hub");
  const endpoint = (opts.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
  const accessToken = opts.token ?? process.env.HF_TOKEN;
  const common = { repo: { type: "model" as const, name: repoId }, revision, hubUrl: endpoint, ...(accessToken ? { accessToken } : {}) };
  let info: DownloadInfo | undefined;
  try {
    const infos = await hub.pathsInfo({ ...common, paths: [name], expand: true });
    if (!infos || infos.length === 0) return null;
    info = infos[0] as DownloadInfo;
  } catch (e) {
    const msg = (e as Error).message;
    if (/404|not found|does not exist/i.test(msg)) {
      throw new HubFileNotFoundError(`fromPretrained: ${repoId} (revision ${revision}) was not found on ${endpoint}: ${msg}. Check the repository id and revision, or set HF_TOKEN for a private or gated repository.`);
    }
    throw new HubFileNotFoundError(`fromPretrained: could not reach ${endpoint} for ${repoId}/${name} (revision ${revision}): ${msg}. Check the network or HF_ENDPOINT, or pass localFilesOnly with a cached model.`);
  }
  let pointer: string;
  try {
    // The library streams into blobs/<etag>.incomplete and renames it only once the body has ended, so an interrupted
    // download is never found under the blob's name; the next attempt starts that file over.
    pointer = await hub.downloadFileToCacheDir({ ...common, path: name, cacheDir: cache });
  } catch (e) {
    throw new Error(`fromPretrained: downloading ${repoId}/${name} (revision ${revision}) from ${endpoint} failed: ${(e as Error).message}. Nothing was kept in the cache; retry.`, { cause: e });
  }
  await verifyDownload(pointer, info as DownloadInfo, `${repoId}/${name}`);
  // Python's layout also records which commit a branch or tag points at (refs/<revision>), so later lookups work offline.
  const snapshotDir = pointer.slice(0, pointer.length - name.length - 1);
  const commit = snapshotDir.split(sep).pop() ?? "";
  if (!COMMIT_RE.test(revision) && COMMIT_RE.test(commit)) {
    const ref = join(repoFolder(cache, repoId), "refs", revision);
    mkdirSync(dirname(ref), { recursive: true });
    const tmp = `${ref}.${process.pid}.tmp`;
    writeFileSync(tmp, commit);
    renameSync(tmp, ref);
  }
  checkInside(repoFolder(cache, repoId), pointer, "fromPretrained");
  return pointer;
}
