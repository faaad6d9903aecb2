// A department reports on its work, and central IT corrects a measure read at a version.
import { graphql } from "relay-runtime";

export const submitStatusReportMutation = graphql`
  mutation StatusReportFormSubmitMutation($input: SubmitStatusReportInput!) {
    submitStatusReport(input: $input) {
      statusReport {
        id
        reportedOn
        progress
        rag
        subject {
          id
          ...WorkItemStatus_item
        }
      }
    }
  }
`;

export const updateMeasureMutation = graphql`
  mutation StatusReportFormUpdateMeasureMutation($input: UpdateMeasureInput!) {
    updateMeasure(input: $input) {
      measure {
        id
        version
        title
        ...WorkItemStatus_item
      }
    }
  }
`;
