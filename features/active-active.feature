@active-active @dynamodb @region-outage
Feature: Active-active: order history keeps being written when a region is lost
  Order history is a DynamoDB global table written in us-east-1 and us-west-2.
  FIS cuts us-east-1's network off, but the orders are written from outside
  it, to the regional endpoint FIS cannot take down: the table goes on taking
  them and loses none, while its copy to us-west-2 waits for the fault's end.

  Scenario: us-east-1 is lost while order history is being written
    Given the "securecart" environment
    And the recovery objectives are RTO 1 minute and RPO 5 seconds
    And "order-history" replicates to "us-west-2"
    And orders are written to "order-history" every 1 second
    And "order-history" is healthy
    When the primary region "us-east-1" becomes unavailable
    Then "order-history" is healthy again within the RTO
    And no more than the RPO of orders is lost
