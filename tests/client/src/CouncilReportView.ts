// The council's report of a period.
import { graphql } from "relay-runtime";

export const councilReportQuery = graphql`
  query CouncilReportViewQuery($period: String!) {
    councilReport(period: $period) {
      period
      from
      to
      asOf
      goals {
        code
        title
        progressStart
        progressEnd
        measuresCompleted
        milestonesAchieved
        milestonesMissed
        budget {
          planned
          approved
          spent
        }
        measures {
          code
          title
          status
          ragEnd
        }
        ragChanges {
          title
          fromRag
          toRag
          summary
        }
      }
      totals {
        goalCount
        measureCount
        measuresCompleted
        budget {
          planned
          spent
        }
      }
    }
  }
`;
