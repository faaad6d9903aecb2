// The list of measures with filters, an order and pagination both ways ("load more" and
// "load previous"; Relay sets the other direction's arguments to null).
import { graphql } from "relay-runtime";

export const measureListQuery = graphql`
  query MeasureListQuery(
    $filter: MeasureFilter
    $orderBy: MeasureOrder
    $count: Int = 20
    $cursor: String
  ) {
    ...MeasureList_query
      @arguments(filter: $filter, orderBy: $orderBy, count: $count, cursor: $cursor)
  }
`;

export const measureListFragment = graphql`
  fragment MeasureList_query on Query
  @refetchable(queryName: "MeasureListPaginationQuery")
  @argumentDefinitions(
    filter: { type: "MeasureFilter" }
    orderBy: { type: "MeasureOrder" }
    count: { type: "Int", defaultValue: 20 }
    cursor: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
  ) {
    measures(
      first: $count
      after: $cursor
      last: $last
      before: $before
      filter: $filter
      orderBy: $orderBy
    )
      @connection(key: "MeasureList_measures", filters: ["filter", "orderBy"]) {
      totalCount
      edges {
        node {
          id
          code
          dueDate
          orgUnit {
            code
          }
          ...WorkItemStatus_item
        }
      }
    }
  }
`;
