// The lab's Web Worker: comlink wiring around the lab core (src/core/lab/labService.ts) with IndexedDB storage and
// the TF.js backend choice. Everything the lab does lives in the core; this file adapts it to the page.
import * as Comlink from 'comlink';
import type { LabEvent } from '../src/core/experiment/events';
import type { Recipe } from '../src/core/experiment/recipe';
import { LabService } from '../src/core/lab/labService';
import { deviceLostFailure } from '../src/core/lab/runFailure';
import type { SqgLimits, SqgPolicy } from '../src/core/data/sqgExamples';
import type { PlaygroundDecode, PlaygroundInput } from '../src/core/lab/playground';
import { otherBackends, selectBackend, watchWebgpuDevice } from './backend';
import { IdbStorage, StorageFullError } from './idbStorage';
import type { BackendChoice, BackendInfo, BackendTiming, ExportResult, LabApi, LabSnapshot, ModelFile, RunOutcome } from './labApi';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

class LabWorker implements LabApi {
  private readonly core = new LabService({
    store: new IdbStorage('qg-distill-lab'),
    storageManager: (globalThis.navigator as Navigator | undefined)?.storage,
    describeError: (e) => (e instanceof StorageFullError ? e.message : errText(e)),
  });
  private backend: BackendInfo | null = null;
  private backendPromise: Promise<BackendInfo> | null = null;

  async init(pref: BackendChoice = 'auto', timings?: BackendTiming[]): Promise<BackendInfo> {
    if (this.core.running) throw new Error('cannot switch the backend while a run is in progress');
    this.backendPromise = selectBackend(pref, timings);
    try {
      const info = await this.backendPromise;
      this.backend = info;
      // a lost GPU device fails the running node with a message and keeps its checkpoint (not a silent cancel)
      watchWebgpuDevice((detail) => {
        if (this.backend === info) this.core.fail(deviceLostFailure(detail, otherBackends(info)));
        this.backend = null;
        this.backendPromise = null;
      });
    } catch (e) {
      this.backendPromise = null;
      throw e;
    }
    return this.backend!;
  }

  private async ensureBackend(): Promise<BackendInfo> {
    return this.backend ?? this.backendPromise ?? this.init('auto');
  }

  snapshot(): Promise<LabSnapshot> {
    return this.core.snapshot(this.backend);
  }
  loadDataset(buf: ArrayBuffer, name: string) {
    return this.core.loadDataset(new Uint8Array(buf), name);
  }
  loadSampleDataset() {
    return this.core.loadSampleDataset();
  }
  loadBaseModel(files: ModelFile[]) {
    return this.core.loadBaseModel(files);
  }
  clearBaseModel() {
    return this.core.clearBaseModel();
  }

  async runRecipe(recipe: Recipe, onEvents: (events: LabEvent[]) => void): Promise<RunOutcome> {
    // one run per browser profile: two tabs writing one IndexedDB tree would overwrite each other's checkpoints
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks) return this.runLocked(recipe, onEvents);
    return (await locks.request('qglab-run', { ifAvailable: true }, (lock) =>
      lock ? this.runLocked(recipe, onEvents) : { status: 'failed' as const, error: 'a run is going on in another tab of this lab: wait for it to finish there (or cancel it) before starting one here' },
    )) as RunOutcome;
  }

  private async runLocked(recipe: Recipe, onEvents: (events: LabEvent[]) => void): Promise<RunOutcome> {
    const backend = await this.ensureBackend();
    const note = backend.reasons.length ? ` (${backend.reasons.map((r) => `${r.backend}: ${r.reason}`).join('; ')})` : '';
    onEvents([{ type: 'log', level: 'info', message: `backend: ${backend.backend}${note}` }]);
    return this.core.runRecipe(recipe, onEvents, backend.backend, otherBackends(backend));
  }
  dataReport(opts: { limits: SqgLimits; policy: SqgPolicy }) {
    return this.core.dataReport(opts);
  }
  async planRun(recipe: Recipe, opts?: { timeSteps?: number }) {
    const backend = await this.ensureBackend();
    return this.core.planRun(recipe, backend.backend, opts);
  }
  clearTrainStates(ids: string[]) {
    return this.core.clearTrainStates(ids);
  }
  async generateFor(nodeId: string, input: PlaygroundInput, decode?: PlaygroundDecode) {
    await this.ensureBackend();
    return this.core.generateFor(nodeId, input, decode);
  }
  playgroundItems(limit?: number) {
    return this.core.playgroundItems(limit);
  }
  async cancel() {
    this.core.cancel();
  }
  listNodes() {
    return this.core.listNodes();
  }
  getNode(id: string) {
    return this.core.getNode(id);
  }
  async exportNode(id: string): Promise<ExportResult> {
    const r = await this.core.exportNode(id);
    return Comlink.transfer(r, [r.zip.buffer as ArrayBuffer]);
  }
  deleteBranch(id: string) {
    return this.core.deleteBranch(id);
  }
  storageUsage() {
    return this.core.storageUsage();
  }
}

Comlink.expose(new LabWorker());
