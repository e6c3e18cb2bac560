import { WorkflowBuilder } from './builder.js';
import { WorkflowType } from './types.js';

/**
 * The seed's pre-built workflows, built on the client (same agent ids, roles and metadata as the
 * seed's bridge). The server's own patterns, with richer prompts and delegation, are listed by
 * `SwarmInterface.listPatterns()` and run by `runPattern(name, params)`.
 */
export class WorkflowPatterns {
  /** Sequential full-stack pipeline: frontend → backend → QA → debugger → QA. */
  static fullStackDevelopment(featureDescription: string): WorkflowBuilder {
    return new WorkflowBuilder(WorkflowType.SEQUENTIAL)
      .addTask('frontend-agent', 'frontend', { task: `Build the frontend (components and user flows) for: ${featureDescription}` })
      .addTask('backend-agent', 'backend', { task: `Build the backend API the frontend needs for: ${featureDescription}` })
      .addTask('qa-agent-1', 'qa', { task: 'Review the frontend and backend work and list every issue you find.' })
      .addTask('debugger-agent', 'debugger', { task: 'Fix the issues the QA review found.' })
      .addTask('qa-agent-2', 'qa', { task: 'Review the fixes and confirm that every issue is resolved.' })
      .addMetadata('pattern', 'full-stack-development')
      .addMetadata('feature', featureDescription);
  }

  /** Parallel code review: security, performance and style reviewers at once. */
  static parallelCodeReview(code: string, language: string): WorkflowBuilder {
    const review = (aspect: string): { task: string } => ({ task: `Review this ${language} code for ${aspect}:\n${code}` });
    return new WorkflowBuilder(WorkflowType.PARALLEL)
      .addTask('qa-security', 'qa', review('security vulnerabilities'))
      .addTask('qa-performance', 'qa', review('performance problems'))
      .addTask('qa-style', 'qa', review('style and best practices'))
      .addMetadata('pattern', 'parallel-code-review')
      .addMetadata('language', language);
  }

  /** An empty graph workflow to add tasks with dependencies to. */
  static customGraph(): WorkflowBuilder {
    return new WorkflowBuilder(WorkflowType.GRAPH);
  }
}
