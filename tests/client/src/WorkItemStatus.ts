// The status badge shown beside every measure, project and sub-project: one fragment on the
// `WorkItem` interface serves all three.
import { graphql } from "relay-runtime";

export const workItemStatus = graphql`
  fragment WorkItemStatus_item on WorkItem {
    id
    title
    status
    rag
    derivedRag
    progress
    rolledUpProgress
    progressSource
    isOverdue
    lastReportedOn
    viewerCanEdit
    warnings {
      kind
      message
    }
    latestStatusReport {
      reportedOn
      summary
    }
  }
`;
