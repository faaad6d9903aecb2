// The detail page of a measure: typed look-up, its projects, and its report history paged
// with a refetchable fragment on the node.
import { graphql } from "relay-runtime";

export const measureDetailQuery = graphql`
  query MeasureDetailQuery($id: ID!) {
    measure(id: $id) {
      id
      code
      title
      description
      dueDate
      goals {
        id
        code
        title
      }
      projects(first: 50) {
        edges {
          node {
            id
            ...WorkItemStatus_item
          }
        }
      }
      ...WorkItemStatus_item
      ...MeasureDetail_history
    }
  }
`;

export const measureHistoryFragment = graphql`
  fragment MeasureDetail_history on Measure
  @refetchable(queryName: "MeasureHistoryPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 10 }
    cursor: { type: "String" }
  ) {
    statusReports(first: $count, after: $cursor)
      @connection(key: "MeasureDetail_statusReports") {
      edges {
        node {
          id
          reportedOn
          progress
          rag
          summary
          authorName
        }
      }
    }
  }
`;
