import { OrchestraError } from './errors.js';
import type { CallOptions, ProgressCallback, SwarmInterface, WaitOptions } from './client.js';
import type { AgentTask, TaskOptions, WorkflowRequest, WorkflowStatusResponse, WorkflowType } from './types.js';

/** Fluent construction of a `WorkflowRequest` (the seed's `WorkflowBuilder`). */
export class WorkflowBuilder {
  private readonly workflowType: WorkflowType;
  private readonly tasks: AgentTask[] = [];
  private readonly metadata: Record<string, unknown> = {};
  private workflowId: string | undefined;

  constructor(type: WorkflowType) {
    this.workflowType = type;
  }

  /** Sets the workflow's id (otherwise the server generates one). A set id makes submission safe to retry. */
  setId(id: string): this {
    this.workflowId = id;
    return this;
  }

  /**
   * Adds a task. `inputData.task` is its instruction; `dependsOn` lists the agent_ids it waits for
   * (graph workflows); `options` sets the model and other per-task settings (API.md §5).
   */
  addTask(agentId: string, agentRole: string, inputData: Record<string, unknown>, dependsOn: string[] = [], options: TaskOptions = {}): this {
    this.tasks.push({ ...options, agent_id: agentId, agent_role: agentRole, input_data: inputData, depends_on: [...dependsOn] });
    return this;
  }

  /** Sets one metadata entry (stored with the workflow and returned as given). */
  addMetadata(key: string, value: unknown): this {
    this.metadata[key] = value;
    return this;
  }

  /** The request. Throws an `OrchestraError` (`invalid_request`) when no task was added. */
  build(): WorkflowRequest {
    if (this.tasks.length === 0) {
      throw new OrchestraError({ kind: 'invalid_request', message: 'Workflow must have at least one task' });
    }
    const request: WorkflowRequest = {
      workflow_type: this.workflowType,
      tasks: this.tasks.map((task) => ({ ...task, depends_on: [...task.depends_on] })),
      metadata: { ...this.metadata },
    };
    if (this.workflowId !== undefined) request.workflow_id = this.workflowId;
    return request;
  }

  /** Builds and submits the workflow. */
  async submit(client: SwarmInterface, options?: CallOptions): Promise<WorkflowStatusResponse> {
    return client.submitWorkflow(this.build(), options);
  }

  /** Builds, submits and waits until the workflow is finished (see `SwarmInterface.submitAndWait`). */
  async submitAndWait(
    client: SwarmInterface,
    timeout?: number,
    onProgress?: ProgressCallback,
    options?: CallOptions,
  ): Promise<WorkflowStatusResponse> {
    const wait: WaitOptions = { ...options };
    if (timeout !== undefined) wait.timeout = timeout;
    if (onProgress !== undefined) wait.onProgress = onProgress;
    return client.submitAndWait(this.build(), wait);
  }
}
