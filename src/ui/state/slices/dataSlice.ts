// The dataset and the base (pretrained) model.
import type { BaseModelSummary, DatasetError, DatasetSummary } from '../../../../workers/labApi';
import { missingCallText, type DataLimits, type DataPolicy, type DataReport } from '../labExtras';
import { errText, type Slice } from './types';

export interface DataSlice {
  dataset: DatasetSummary | null;
  datasetError: DatasetError | null;
  datasetBusy: boolean;
  baseModel: BaseModelSummary | null;
  modelError: string | null;
  modelBusy: boolean;
  /** the Data screen's figures, for the limits and policy they were counted under */
  dataReport: DataReport | null;
  dataReportBusy: boolean;
  dataReportError: string | null;

  /** Counts what training would make of the dataset under these limits (an older answer arriving late is dropped). */
  loadDataReport(opts: { limits: DataLimits; policy: DataPolicy }): Promise<void>;
  loadDatasetFile(file: File): Promise<void>;
  loadSample(): Promise<void>;
  loadModelFiles(files: File[]): Promise<void>;
  clearModel(): Promise<void>;
}

export const createDataSlice: Slice<DataSlice> = (deps) => (set, get) => {
  /** the latest report asked for: only its answer is shown */
  let reportSeq = 0;
  return {
    dataset: null,
    datasetError: null,
    datasetBusy: false,
    baseModel: null,
    modelError: null,
    modelBusy: false,
    dataReport: null,
    dataReportBusy: false,
    dataReportError: null,

    async loadDataReport(opts) {
      const seq = ++reportSeq;
      if (!get().dataset) {
        set({ dataReport: null, dataReportBusy: false, dataReportError: null });
        return;
      }
      set({ dataReportBusy: true });
      try {
        const report = await deps.lab().dataReport(opts);
        if (seq === reportSeq) set({ dataReport: report, dataReportError: null });
      } catch (e) {
        if (seq === reportSeq) set({ dataReport: null, dataReportError: missingCallText('dataReport', e) });
      } finally {
        if (seq === reportSeq) set({ dataReportBusy: false });
      }
    },

    async loadDatasetFile(file) {
      set({ datasetBusy: true, datasetError: null });
      try {
        const buf = await file.arrayBuffer();
        // big buffers go to the worker as transferables, not copies
        const r = await deps.lab().loadDataset(deps.transfer(buf, [buf]), file.name);
        if (r.ok) set({ dataset: r.dataset, datasetError: null });
        else set({ datasetError: r.error });
      } catch (e) {
        set({ datasetError: { path: '', reason: errText(e), message: errText(e) } });
      } finally {
        set({ datasetBusy: false });
        void get().refreshStorage();
      }
    },

    async loadSample() {
      set({ datasetBusy: true, datasetError: null });
      try {
        const r = await deps.lab().loadSampleDataset();
        if (r.ok) set({ dataset: r.dataset });
        else set({ datasetError: r.error });
      } catch (e) {
        set({ datasetError: { path: '', reason: errText(e), message: errText(e) } });
      } finally {
        set({ datasetBusy: false });
      }
    },

    async loadModelFiles(files) {
      set({ modelBusy: true, modelError: null });
      try {
        const payload = await Promise.all(files.map(async (f) => ({ name: f.name, relativePath: f.webkitRelativePath || undefined, bytes: await f.arrayBuffer() })));
        const r = await deps.lab().loadBaseModel(deps.transfer(payload, payload.map((p) => p.bytes)));
        if (r.ok) {
          set({ baseModel: r.model });
          get().setDraft((d) => {
            d.teacher.init = 'pretrained';
            d.student.k = Math.min(d.student.k, Math.max(1, r.model.layers - 1));
          });
        } else set({ modelError: r.error });
      } catch (e) {
        set({ modelError: errText(e) });
      } finally {
        set({ modelBusy: false });
        void get().refreshStorage();
      }
    },

    async clearModel() {
      await deps.lab().clearBaseModel();
      set({ baseModel: null });
      get().setDraft((d) => {
        d.teacher.init = 'scratch';
      });
    },
  };
};
