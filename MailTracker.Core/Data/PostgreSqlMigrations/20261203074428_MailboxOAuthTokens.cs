using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class MailboxOAuthTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "OAuthAccessTokenExpiresAt",
                table: "MailAccounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthAccessTokenProtected",
                table: "MailAccounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthProvider",
                table: "MailAccounts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OAuthRefreshTokenProtected",
                table: "MailAccounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReconnectReason",
                table: "MailAccounts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TokenRefreshLeaseUntil",
                table: "MailAccounts",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OAuthAccessTokenExpiresAt",
                table: "MailAccounts");

            migrationBuilder.DropColumn(
                name: "OAuthAccessTokenProtected",
                table: "MailAccounts");

            migrationBuilder.DropColumn(
                name: "OAuthProvider",
                table: "MailAccounts");

            migrationBuilder.DropColumn(
                name: "OAuthRefreshTokenProtected",
                table: "MailAccounts");

            migrationBuilder.DropColumn(
                name: "ReconnectReason",
                table: "MailAccounts");

            migrationBuilder.DropColumn(
                name: "TokenRefreshLeaseUntil",
                table: "MailAccounts");
        }
    }
}
