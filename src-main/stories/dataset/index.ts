export { StoryDatasetService, type StoryAnalysis } from './story-dataset-service';
export { registerStoryDatasetJobs } from './export-job';
export { exportPayloadSchema, EXPORT_JOB, type ExportPayload } from './export-payload';
export { writeDataset, type DatasetSummary } from './write-dataset';
export { storyUnits, panProblemText } from './story-units';
